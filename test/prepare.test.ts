/** The prepare script a clone builds dist/ with says what to do, in one line, when it cannot. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('in a clone whose devDependencies were never installed, prepare exits 1 with one line naming the fix', () => {
  const clone = mkdtempSync(join(tmpdir(), 'chat-proto-clone-'));
  try {
    mkdirSync(join(clone, 'scripts'));
    copyFileSync('scripts/prepare.js', join(clone, 'scripts', 'prepare.js'));
    copyFileSync('package.json', join(clone, 'package.json'));
    const run = spawnSync(process.execPath, [join(clone, 'scripts', 'prepare.js')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `@chat/proto: building dist/ needs the development tools: run npm install in ${clone}/ first`,
    ]);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
});
