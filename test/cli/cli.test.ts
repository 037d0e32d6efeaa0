/**
 * The built `chat-proto` command, driven end to end: a server process, an interactive user
 * process fed line by line, and a library user node talking to it.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { type ChatMessage, createUserNode } from '../../src/node/index.ts';
import { uniqueChannel, until } from '../node/helpers.ts';
import { CLI, runCli as run, runServer } from '../node/processes.ts';

test('a server and an interactive user, driven end to end', async () => {
  const { ip, port: channelPort } = uniqueChannel();
  const channel = `${ip}:${channelPort}`;
  const server = await runServer('hub', ['--channel', channel, '--gossip', '200']);
  const port = server.port;

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
  await cli.waitFor(
    /-!- message to nobody not sent: nobody has the name nobody \(not known here, and no neighbour server to ask\)/,
  );
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
    // The one line that matters and a pointer to the help, not the help itself.
    expect(failure.stderr.toString()).toBe(
      'chat-proto: --port: expected a port 0-65535, got "70000"\nRun chat-proto server --help for the options.\n',
    );
  }
});

test('a bad command gets one line with its usage, and the next command still runs', async () => {
  const { ip, port: channelPort } = uniqueChannel();
  const channel = `${ip}:${channelPort}`;
  const server = await runServer('hub', ['--channel', channel, '--gossip', '200']);
  const port = server.port;
  const cli = run([
    'user',
    '--alias',
    'dan',
    '--port',
    '0',
    '--server',
    `127.0.0.1:${port}`,
    '--timeout',
    '300',
  ]);
  await cli.waitFor(/-!- connected to hub/);
  const mistakes: [string, RegExp][] = [
    ['/join', /-!- \/join needs a ROOM; usage: \/join ROOM$/],
    ['/create', /-!- \/create needs a ROOM; usage: \/create ROOM$/],
    ['/msg', /-!- \/msg needs a NAME; usage: \/msg NAME TEXT$/],
    ['/msg ann', /-!- \/msg needs TEXT; usage: \/msg NAME TEXT$/],
    ['/join bad-room!', /-!- "bad-room!" is not a room name: letters and digits only; usage: \/join ROOM$/],
    ['/find a b', /-!- \/find takes only NAME; "b" is too much; usage: \/find NAME$/],
    ['/nick bad!name', /-!- "bad!name" is not a name: letters and digits only; usage: \/nick NAME$/],
    ['/frobnicate', /-!- unknown command \/frobnicate; \/help lists them$/],
    ['/join lobby', /-!- cannot join lobby: hub knows no room lobby \(\/create lobby makes it\)$/],
    ['hello', /-!- this is the status window: \/join ROOM, \/msg NAME TEXT, or Alt-N$/],
    ['/window 7', /-!- there is no window 7; usage: \/window N$/],
    ['/wc', /-!- the status window stays open \(\/quit ends the client\)$/],
  ];
  for (const [line, expected] of mistakes) {
    cli.type(line);
    await cli.waitFor(expected);
  }
  cli.type('/create lobby');
  await cli.waitFor(/-!- created lobby and joined it$/);
  cli.type('/me waves');
  await cli.waitFor(/^\[\d\d:\d\d\] \* dan waves$/);
  cli.type('/nick dora');
  await cli.waitFor(/-!- dan is now known as dora$/);
  cli.type('/alias dee');
  await cli.waitFor(/-!- you are now also dee$/);
  await server.waitFor(/^user dan is now dora$/);
  await server.waitFor(/^user dora added alias dee$/);
  cli.type('/unalias dee');
  await cli.waitFor(/-!- dee is no longer an alias of yours$/);
  cli.child.stdin.end(); // end of input: like Ctrl-D, the client leaves with EXIT
  expect(await cli.exited).toBe(0);
  await server.waitFor(/^user dora left$/);
  expect(cli.errors.join('')).toBe('');
});

test('parse names the failing line of standard input', () => {
  const input = 'USERNODE bob 127.0.0.1 5001 FIND alice\n\nUSERNODE bob 127.0.0.1 70000 FIND alice\n';
  try {
    execFileSync(process.execPath, [CLI, 'parse'], { input, stdio: 'pipe' });
    expect.unreachable('should have failed');
  } catch (error) {
    const failure = error as { status: number; stdout: Buffer; stderr: Buffer };
    expect(failure.status).toBe(1);
    expect(failure.stdout.toString()).toMatch(/"alias":"alice"/);
    expect(failure.stderr.toString()).toBe(
      'line 3: PORT_PATTERN 1:24: Port "70000" must be 4 digits, or 5 digits starting with 0-6\n',
    );
  }
});

test('a --channel that is not multicast is refused with the flag named', () => {
  try {
    execFileSync(
      process.execPath,
      [CLI, 'server', '--alias', 'x', '--port', '0', '--channel', '10.0.0.1:8450'],
      {
        stdio: 'pipe',
      },
    );
    expect.unreachable('should have failed');
  } catch (error) {
    const failure = error as { status: number; stderr: Buffer };
    expect(failure.status).toBe(2);
    expect(failure.stderr.toString()).toMatch(
      /^chat-proto: --channel: 10\.0\.0\.1 is not a multicast address \(224\.0\.0\.0 to 239\.255\.255\.255\), in "10\.0\.0\.1:8450"/,
    );
  }
});

test('/quit after the server died: one try at EXIT, one line, exit status 0', async () => {
  const { ip, port: channelPort } = uniqueChannel();
  const channel = `${ip}:${channelPort}`;
  const server = await runServer('gone', ['--channel', channel]);
  const port = server.port;
  const cli = run([
    'user',
    '--alias',
    'eve',
    '--port',
    '0',
    '--server',
    `127.0.0.1:${port}`,
    '--keep-alive',
    '0',
  ]);
  await cli.waitFor(/-!- connected to gone/);
  server.child.kill('SIGKILL');
  await server.exited;
  cli.type('/quit');
  expect(await cli.exited).toBe(0);
  expect(cli.lines.filter((line) => line.includes('-!-')).slice(1)).toEqual([
    expect.stringMatching(/^\[\d\d:\d\d\] -!- gone did not confirm leaving; bye$/),
  ]);
});
