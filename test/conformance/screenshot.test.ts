/** `npm run conformance:screenshot` on a machine without Chromium: one line saying what to do. */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

test('without Chromium the screenshot script says so in one line, exit status 1', () => {
  const run = spawnSync(process.execPath, ['scripts/conformance-screenshot.ts'], {
    encoding: 'utf8',
    env: { ...process.env, CHROMIUM: '/nonexistent/chromium' },
    timeout: 30_000,
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'conformance:screenshot needs Chromium: none at /nonexistent/chromium. Install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium.\n',
  );
});
