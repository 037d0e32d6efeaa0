/** `--nats`, `--nats-nkey` and `nats-auth` refuse what they cannot use, naming the flag: exit 2. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI } from '../node/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'chat-nats-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const notASeed = join(dir, 'not-a-seed.nk');
writeFileSync(notASeed, 'hello\n');

test.each([
  [
    ['server', '--alias', 'a', '--port', '0', '--nats', 'localhost'],
    /^chat-proto: --nats: expected a URL like nats:\/\/127\.0\.0\.1:4222, got "localhost"/,
  ],
  [
    ['server', '--alias', 'a', '--port', '0', '--nats-nkey', notASeed],
    /^chat-proto: --nats-nkey needs --nats/,
  ],
  [
    ['server', '--alias', 'a', '--port', '0', '--nats', 'nats://127.0.0.1:1', '--nats-nkey', notASeed],
    /^chat-proto: --nats-nkey: .*not-a-seed\.nk does not hold a user nkey seed/,
  ],
  [
    [
      'server',
      '--alias',
      'a',
      '--port',
      '0',
      '--nats',
      'nats://127.0.0.1:1',
      '--nats-nkey',
      join(dir, 'missing.nk'),
    ],
    /^chat-proto: --nats-nkey: cannot read .*missing\.nk: ENOENT/,
  ],
  [
    ['user', '--alias', 'c', '--port', '0', '--server', '127.0.0.1:8000', '--nats', 'nats://127.0.0.1:1'],
    /^chat-proto: --port: a node on NATS only is known by its port; give one \(1-65535\), not 0/,
  ],
  [
    ['nats-auth', '--dir', dir, 'a=127.0.0.1:8000', 'b=127.0.0.1:8000'],
    /^chat-proto: two nodes have the endpoint 127\.0\.0\.1:8000/,
  ],
  [
    ['nats-auth', '--dir', dir, 'a=127.0.0.1:8000', 'a=127.0.0.1:8001'],
    /^chat-proto: two nodes have the name a/,
  ],
  [
    ['nats-auth', '--dir', dir, 'a.b=127.0.0.1:8000'],
    /^chat-proto: a server: expected NAME=IP:PORT with NAME of letters, digits, - and _, got "a\.b=127\.0\.0\.1:8000"/,
  ],
  [['nats-auth', '--dir', dir, 'a=127.0.0.1:0'], /^chat-proto: a server: a needs a fixed port, not 0/],
  [['nats-auth', 'a=127.0.0.1:8000'], /^chat-proto: --dir is required/],
])('chat-proto %j is refused with exit status 2', (args, message) => {
  try {
    execFileSync(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    expect.unreachable('should have failed');
  } catch (error) {
    const failure = error as { status: number; stderr: Buffer };
    expect(failure.stderr.toString()).toMatch(message);
    expect(failure.status).toBe(2);
  }
});

test('a NATS node that does not answer: one line, exit status 1, nothing left running', () => {
  try {
    // Port 1 on 127.0.0.1: nothing listens there.
    execFileSync(
      process.execPath,
      [CLI, 'server', '--alias', 'a', '--port', '0', '--nats', 'nats://127.0.0.1:1'],
      {
        stdio: 'pipe',
        timeout: 10_000,
      },
    );
    expect.unreachable('should have failed');
  } catch (error) {
    const failure = error as { status: number; stderr: Buffer };
    expect(failure.stderr.toString()).toMatch(
      /^chat-proto: cannot connect to NATS at nats:\/\/127\.0\.0\.1:1: .+\n$/,
    );
    expect(failure.status).toBe(1);
  }
});
