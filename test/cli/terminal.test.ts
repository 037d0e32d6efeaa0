/**
 * `chat-proto user` in a real pseudo-terminal: tmux runs the client, the test types with
 * `send-keys` and reads the screen with `capture-pane`, as a person would. Servers and the other
 * user are real processes on 127.0.0.1, multicast on the loopback interface; the home server is
 * killed with SIGKILL and started again from its state file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createUserNode } from '../../src/node/index.ts';
import { uniqueChannel, until } from '../node/helpers.ts';
import { CLI, runCli, runServer } from '../node/processes.ts';

/** A tmux server of this test's own, so nothing else's sessions are touched. */
const socket = `chat-proto-test-${process.pid}`;
const folder = mkdtempSync(join(tmpdir(), 'chat-proto-terminal-'));
afterAll(() => {
  try {
    const path = tmux('display-message', '-p', '#{socket_path}').trim();
    tmux('kill-server');
    rmSync(path, { force: true }); // tmux leaves its socket file behind
  } catch {
    // No tmux server was started: nothing is left running.
  }
  rmSync(folder, { recursive: true, force: true });
});

function tmux(...args: string[]): string {
  // -f /dev/null: no one's ~/.tmux.conf changes what the test sees.
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The pane as a person sees it, with its scrollback; rows a long line wrapped onto are joined. */
function screen(pane = 'ann'): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', pane);
}

/** Only what is on the pane now, without the scrollback: the window on screen. */
function visibleScreen(pane = 'ann'): string {
  return tmux('capture-pane', '-p', '-J', '-t', pane);
}

/** The same with colours, as escape sequences (`capture-pane -e`). */
function colouredScreen(pane: string): string {
  return tmux('capture-pane', '-p', '-e', '-J', '-t', pane);
}

/**
 * Starts `chat-proto user ARGS...` in a new tmux session `name`, its pane kept after it exits; its
 * exit status goes to the file `exitFile(name)` (tmux does not always record it).
 */
function startClient(name: string, args: string[], env: string[] = []): void {
  const words = ['env', ...env, process.execPath, CLI, 'user', ...args].map((word) => `'${word}'`);
  const command = `${words.join(' ')}; echo $? > '${exitFile(name)}'`;
  tmux('new-session', '-d', '-s', name, '-x', '60', '-y', '40');
  tmux('set-option', '-t', name, 'remain-on-exit', 'on');
  tmux('respawn-pane', '-k', '-t', name, command);
}

/** Waits (bounded) until the screen shows `expected`; the failure message shows the screen. */
async function see(expected: string | RegExp, pane = 'ann'): Promise<void> {
  const shows = () =>
    typeof expected === 'string' ? screen(pane).includes(expected) : expected.test(screen(pane));
  try {
    await until(shows, `the screen to show ${expected}`, 10_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the screen:\n${screen(pane)}`);
  }
}

function exitFile(name: string): string {
  return join(folder, `${name}.status`);
}

/** The chat clients still running, for a failure message. */
function pgrep(): string {
  try {
    return execFileSync('pgrep', ['-af', `${CLI} user`], { encoding: 'utf8' });
  } catch {
    return 'no client process left';
  }
}

/** Types text as keystrokes into ann's pane (literally: no key names), then the given keys. */
function type(text: string, ...keys: string[]): void {
  typeIn('ann', text, ...keys);
}

function typeIn(pane: string, text: string, ...keys: string[]): void {
  if (text !== '') tmux('send-keys', '-t', pane, '-l', text);
  if (keys.length > 0) tmux('send-keys', '-t', pane, ...keys);
}

/** bob's client, not on a terminal, on the server at `port`, once it is connected. */
async function bobOn(port: number, timing: string[]) {
  const bob = runCli(['user', '--alias', 'bob', '--port', '0', '--server', `127.0.0.1:${port}`, ...timing]);
  await bob.waitFor(/-!- connected to beta/);
  return bob;
}

test('a person chats in a terminal: mistakes, completion, windows, typing while messages arrive, failover, home, Ctrl-C', async () => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'pipe' });
  } catch {
    throw new Error('tmux is needed for this test: apt-get install tmux (.ci/run installs it)');
  }
  const { ip, port } = uniqueChannel();
  const channel = ['--channel', `${ip}:${port}`, '--gossip', '200'];
  const state = join(folder, 'alpha.json');
  let alpha = await runServer('alpha', [...channel, '--state', state]);
  const beta = await runServer('beta', channel);
  await alpha.waitFor(/^neighbour beta/);
  // Killed before its state names its neighbour, alpha would have nobody to call home from.
  await until(() => {
    try {
      return readFileSync(state, 'utf8').includes('"beta"');
    } catch {
      return false;
    }
  }, 'alpha to save beta as its neighbour');

  const timing = ['--timeout', '200', '--retries', '2', '--keep-alive', '300'];
  startClient('ann', ['--alias', 'ann', '--port', '0', '--server', `127.0.0.1:${alpha.port}`, ...timing]);
  await see(/-!- connected to alpha at 127\.0\.0\.1:\d+ as ann/);
  const bob = await bobOn(beta.port, timing);

  // A bad command, then a good one: an error with the usage, and the prompt carries on.
  type('/join', 'Enter');
  await see('-!- /join needs a ROOM; usage: /join ROOM');
  type('/create lobby', 'Enter');
  await see('-!- created lobby and joined it');
  await see('[lobby] ann> ');

  // Tab completes the command, then the room.
  type('/wh', 'Tab');
  type('lo', 'Tab');
  await see('[lobby] ann> /who lobby');
  type('', 'Enter');
  await see('-!- lobby: ann');

  // The status line above the prompt: the server and its lag, the window, no activity yet.
  await see(/\[alpha lag \d+ms\] \[2:lobby\]\n\[lobby\] ann> /);

  // /msg opens bob's window and goes to it; plain text there is a direct message to bob.
  type('/msg bob hi bob', 'Enter');
  await bob.waitFor(/\*ann\* hi bob$/);
  await see(/\[3:bob\]\n\[bob\] ann> /);

  // Typing a line longer than the terminal is wide while messages arrive: each message is
  // printed above it, and the half-typed line is redrawn whole, not garbled.
  const long = 'this line is longer than the terminal is wide, so it wraps onto a second row';
  type(long);
  await see(`[bob] ann> ${long}`);
  for (const n of [1, 2, 3]) {
    bob.type(`/msg ann message ${n} while you type`);
    await see(`<bob> message ${n} while you type`);
  }
  const typing = screen().trimEnd().split('\n');
  expect(typing.at(-1)).toBe(`[bob] ann> ${long}`);
  expect(typing.filter((row) => row.includes(long))).toHaveLength(1);
  type(' (sent)', 'Enter');
  await bob.waitFor(new RegExp(`<ann> ${long} \\(sent\\)$`)); // bob is in ann's window too
  await see(`<ann> ${long} (sent)`);

  // Network text is shown, not obeyed: clear screen, a bare CR and a clipboard write (OSC 52)
  // arrive as visible text. A library node sends them: a terminal user could not type them.
  // The message opens mallory's window (4) without going to it: the status line lists it.
  const mallory = createUserNode({ alias: 'mallory', server: { ip: '127.0.0.1', port: beta.port } });
  await mallory.start();
  await mallory.send('ann', '\x1b[2J\x1b[Hgotcha\rover\x1b]52;c;aGk=\x07');
  await mallory.exit();
  await mallory.close();
  await see(/\[3:bob\] \[Act: 4\]/);
  expect(visibleScreen()).not.toContain('gotcha');
  type('', 'Escape', '4'); // Alt-4, as a terminal sends it: ESC, then the digit
  await see('<mallory> ^[[2J^[[Hgotcha^Mover^[]52;c;aGk=^G');
  await see(/\[4:mallory\]\n\[mallory\] ann> $/m);

  // /window 2 shows lobby's window again, its lines kept; /topic says there is none.
  type('/window 2', 'Enter');
  await see(/\[2:lobby\]\n\[lobby\] ann> /);
  expect(visibleScreen()).toContain('-!- created lobby and joined it');
  expect(visibleScreen()).not.toContain('mallory');
  type('/topic cats', 'Enter');
  await see('-!- this protocol carries no room topic');

  // The home server dies: the client says so while it checks and fails over (the prompt stays),
  // a line typed meanwhile says it waits, and lobby follows to beta.
  alpha.child.kill('SIGKILL');
  type('anyone on alpha?', 'Enter');
  await see('-!- waiting for a server: this line is sent once one answers');
  await see('-!- alpha is not answering; checking');
  expect(visibleScreen().trimEnd().split('\n').at(-1)).toBe('[lobby] ann>');
  await see('-!- failing over from alpha');
  await see(/-!- alpha stopped answering; now on beta at 127\.0\.0\.1:\d+/);
  await see(/-!- rejoined lobby on beta/);
  await see('<ann> anyone on alpha?');
  await see(/\[beta lag \d+ms\] \[2:lobby\]/);
  bob.type('/join lobby');
  await bob.waitFor(/-!- joined lobby$/);
  bob.type('hello from beta');
  await see('<bob> hello from beta');
  type('hi bob, same room', 'Enter');
  await bob.waitFor(/<ann> hi bob, same room$/);
  await see('<ann> hi bob, same room');

  // alpha comes back from its state file, on another port: the client goes home, lobby too.
  alpha = await runServer('alpha', [...channel, '--state', state]);
  await see(/-!- alpha is back at 127\.0\.0\.1:\d+; moved home from beta/);
  await see(/-!- rejoined lobby on alpha/);
  expect(screen().trimEnd().split('\n').at(-1)).toBe('[lobby] ann>');

  // Ctrl-C once: EXIT is sent, the client says goodbye and ends; the server lets the user go.
  type('', 'C-c');
  await see('-!- left alpha; bye');
  const status = await until(() => {
    try {
      return readFileSync(exitFile('ann'), 'utf8').trim() || undefined;
    } catch {
      return undefined; // not ended yet
    }
  }, 'the client to end').catch((error: Error) => {
    throw new Error(`${error.message}; ${pgrep()}`);
  });
  expect(status).toBe('0');
  await alpha.waitFor(/^user ann left$/);
  // beta no longer lists ann either, once alpha's gossip says she is gone (asked at most 20 times).
  const answers = () => bob.lines.filter((line) => line.includes('-!- users:')).length;
  for (let ask = 0; ask < 20 && !bob.lines.some((line) => /-!- users: bob$/.test(line)); ask++) {
    const before = answers();
    bob.type('/list');
    await until(() => answers() > before, 'the answer to /list');
  }
  expect(bob.lines.filter((line) => line.includes('-!- users:')).at(-1)).toMatch(/-!- users: bob$/);
  bob.type('/quit');
  expect(await bob.exited).toBe(0);
});

test('colours on a terminal, none when NO_COLOR is set; Ctrl-D leaves like Ctrl-C', async () => {
  const { ip, port } = uniqueChannel();
  const hub = await runServer('hub', ['--channel', `${ip}:${port}`, '--gossip', '200']);
  const server = ['--port', '0', '--server', `127.0.0.1:${hub.port}`];
  startClient('bright', ['--alias', 'bright', ...server]);
  startClient('plain', ['--alias', 'plain', ...server], ['NO_COLOR=1']);
  for (const pane of ['bright', 'plain']) {
    await until(() => screen(pane).includes('-!- connected to hub'), `${pane} to connect`, 10_000);
  }
  // capture-pane -e writes the screen's colours and styles as SGR sequences, ESC [ ... m.
  expect(colouredScreen('bright')).toContain('\u001b[');
  expect(colouredScreen('plain')).not.toContain('\u001b[');
  expect(screen('plain')).toContain('plain> ');
  tmux('send-keys', '-t', 'bright', 'C-c');
  tmux('send-keys', '-t', 'plain', 'C-d');
  await hub.waitFor(/^user bright left$/);
  await hub.waitFor(/^user plain left$/);
  // Ctrl-D ends the prompt's line first, so the goodbye has a line of its own.
  await until(
    () => screen('plain').includes('\nplain> \n[') || undefined,
    'the goodbye on its own line',
    5000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the screen:\n${screen('plain')}`);
  });
  expect(screen('plain')).toMatch(/-!- left hub; bye/);
});

test('ann on alpha and bob on beta share one room: join, lines both ways, part and quit, each told to ann', async () => {
  const { ip, port } = uniqueChannel();
  const channel = ['--channel', `${ip}:${port}`, '--gossip', '200'];
  const alpha = await runServer('alpha', channel);
  const beta = await runServer('beta', channel);
  await alpha.waitFor(/^neighbour beta/);
  const timing = ['--timeout', '300', '--retries', '3'];
  startClient('lounger', ['--alias', 'ann', '--port', '0', '--server', `127.0.0.1:${alpha.port}`, ...timing]);
  await see('-!- connected to alpha', 'lounger');
  const bob = await bobOn(beta.port, timing);

  typeIn('lounger', '/create lounge', 'Enter');
  await see('-!- created lounge and joined it', 'lounger');
  bob.type('/join lounge'); // on beta: the room ann created on alpha
  await bob.waitFor(/-!- joined lounge$/);
  await see('-!- bob joined lounge', 'lounger');
  bob.type('hi ann, from beta');
  await see('<bob> hi ann, from beta', 'lounger');
  typeIn('lounger', 'hi bob, from alpha', 'Enter');
  await bob.waitFor(/<ann> hi bob, from alpha$/);
  bob.type('/who');
  await bob.waitFor(/-!- lounge: (ann bob|bob ann)$/);

  bob.type('/part');
  await see('-!- bob left lounge', 'lounger');
  bob.type('/join lounge');
  await see(/-!- bob joined lounge[\s\S]*-!- bob joined lounge/, 'lounger');
  bob.type('/quit');
  expect(await bob.exited).toBe(0);
  await see('-!- bob quit', 'lounger');
  typeIn('lounger', '', 'C-c');
  await see('-!- left alpha; bye', 'lounger');
});
