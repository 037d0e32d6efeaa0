/** The examples run against the built package (`npm run build` comes first in `npm test`). */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { NATS_SERVER, NO_NATS_SERVER } from './node/nats/cluster.ts';

test('examples/parse.ts runs and prints what it promises', () => {
  const output = execFileSync(process.execPath, ['examples/parse.ts'], { encoding: 'utf8' });
  expect(output).toBe(
    [
      'bob is looking for alice',
      'SERVERREPLY SERVER alpha 10.0.0.1 8000 +OK USERNODE bob 127.0.0.1 5001 FIND alice USERNODE alice 10.0.0.7 5002',
      '"USERNODE bob 127.0.0.1 5001 SEND alice MESSAGE hello, alice\\u0000"',
      'PORT_PATTERN 1:24: Port "70000" must be 4 digits, or 5 digits starting with 0-6',
      '',
    ].join('\n'),
  );
});

test('examples/user.ts: two users find each other and chat through a server', () => {
  const output = execFileSync(process.execPath, ['examples/user.ts'], { encoding: 'utf8', timeout: 20_000 });
  expect(output).toMatch(/^alice found bob at 127\.0\.0\.1:\d+ on hub\n/);
  expect(output).toContain('lobby: alice, bob\n');
  expect(output).toContain('bob got from alice in lobby: hello, room\n');
  expect(output).toContain('bob got from alice: hello, bob\n');
});

test('examples/server.ts: a server comes up and closes when its time is over', () => {
  const output = execFileSync(process.execPath, ['examples/server.ts', '1'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(output).toMatch(/^server alpha\d* ready on 127\.0\.0\.1:\d+\n(.*\n)*server closed\n$/);
});

test.skipIf(!NATS_SERVER)(
  `examples/nats: the cluster and leafnode configurations are valid with the keys nats-auth writes${NATS_SERVER ? '' : ` (${NO_NATS_SERVER})`}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-nats-example-'));
    try {
      const files = readdirSync('examples/nats').filter((f) => f.endsWith('.conf'));
      expect(files.sort()).toEqual(['leaf.conf', 'n1.conf', 'n2.conf', 'n3.conf']);
      for (const file of files) copyFileSync(join('examples/nats', file), join(dir, file));
      execFileSync(process.execPath, [
        'bin/chat-proto.js',
        'nats-auth',
        '--dir',
        join(dir, 'keys'),
        'alpha=127.0.0.1:8001',
      ]);
      for (const file of files) {
        // -t: check the configuration and exit, binding nothing.
        const said = execFileSync(NATS_SERVER as string, ['-t', '-c', join(dir, file)], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
        expect(said).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
