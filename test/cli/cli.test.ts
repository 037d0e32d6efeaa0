/**
 * The built `chat-proto` command, driven end to end: a server process, an interactive user
 * process fed line by line, and a library user node talking to it.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { type ChatMessage, createUserNode } from '../../src/node/index.ts';
import { uniqueChannel, until } from '../node/helpers.ts';
import { CLI, runCli as run } from '../node/processes.ts';

test('a server and an interactive user, driven end to end', async () => {
  const channel = `${uniqueChannel().ip}:${uniqueChannel().port}`;
  const server = run(['server', '--alias', 'hub', '--port', '0', '--channel', channel, '--gossip', '200']);
  const listening = await server.waitFor(/^server hub listening on 127\.0\.0\.1:\d+/);
  const port = Number(/:(\d+),/.exec(listening)?.[1]);

  const cli = run([
    'user',
    '--alias',
    'carol',
    '--port',
    '0',
    '--server',
    `127.0.0.1:${port}`,
    '--timeout',
    '300',
  ]);
  await cli.waitFor(/^\[\d\d:\d\d\] -!- connected to hub at 127\.0\.0\.1:\d+ as carol/);
  const bob = createUserNode({ alias: 'bob', server: { ip: '127.0.0.1', port }, timeout: 300 });
  const inbox: ChatMessage[] = [];
  bob.on('message', (m) => inbox.push(m));
  await bob.start();

  cli.type('/create lobby');
  await cli.waitFor(/-!- created lobby and joined it$/);
  await bob.join('lobby');
  cli.type('/who lobby');
  await cli.waitFor(/-!- lobby: carol bob$/);
  cli.type('hello from the terminal');
  await until(() => inbox.length === 1, 'bob to hear carol');
  await cli.waitFor(/^\[\d\d:\d\d\] <carol> hello from the terminal$/); // our own line, echoed
  expect(inbox[0]).toMatchObject({
    kind: 'room',
    room: 'lobby',
    text: 'hello from the terminal',
    from: { alias: 'carol' },
  });
  await bob.send('carol', 'hi carol');
  await cli.waitFor(/^\[\d\d:\d\d\] \*bob\* hi carol$/);
  cli.type('/find bob');
  await cli.waitFor(/-!- bob is at 127\.0\.0\.1:\d+ on hub$/);
  cli.type('/msg nobody x');
  await cli.waitFor(/-!- message to nobody not sent: hub knows nobody called nobody/);
  cli.type('/quit');
  await new Promise((resolve) => cli.child.once('exit', resolve));
  expect(cli.child.exitCode).toBe(0);
  await server.waitFor(/^user carol left$/);
  await bob.close();
  server.child.kill('SIGUSR1');
  const counters = JSON.parse((await server.waitFor(/^counters \{/)).slice('counters '.length));
  expect(counters).toMatchObject({ undecodable: 0, spoofed: 0, rateLimited: 0 });
  expect(counters.received).toBeGreaterThan(0);
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  expect(server.lines).toContain('server stopped');
});

test('parse prints JSON, or the error with exit status 1', () => {
  const out = execFileSync(
    process.execPath,
    [CLI, 'parse', '--escapes', 'USERNODE bob 127.0.0.1 5001 CSEND MESSAGE hi\\0'],
    { encoding: 'utf8' },
  );
  expect(JSON.parse(out)).toEqual({
    kind: 'UserCommand',
    sender: { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 },
    command: { verb: 'CSEND', message: 'hi' },
  });
  expect(() => execFileSync(process.execPath, [CLI, 'parse', 'USERNODE bob'], { stdio: 'pipe' })).toThrow(
    expect.objectContaining({ status: 1 }),
  );
});

test('bad flags print a clear error and exit 2', () => {
  try {
    execFileSync(process.execPath, [CLI, 'server', '--alias', 'x', '--port', '70000'], { stdio: 'pipe' });
    expect.unreachable('should have failed');
  } catch (error) {
    const failure = error as { status: number; stderr: Buffer };
    expect(failure.status).toBe(2);
    expect(failure.stderr.toString()).toMatch(/^chat-proto: --port: expected a port 0-65535, got "70000"/);
  }
});
