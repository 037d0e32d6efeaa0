/**
 * `chat-proto demo`: a small network on this host, narrated. Three servers run as child processes
 * of this command (so one can be killed with SIGKILL), four user nodes run in this process, and
 * every step says what happens on the wire. It ends by itself, with status 0 when every step did.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { styleText } from 'node:util';
import type { Server } from '../ast.ts';
import { type ChatMessage, type ChatUser, createUserNode, type Endpoint } from '../node/index.ts';
import { randomChannel } from '../values.ts';
import { endpointFlag, parseFlags } from './args.ts';

export const DEMO_HELP = `Usage: chat-proto demo [options]

Starts three servers and four user nodes on this host and narrates what they do: discovery and
a refused duplicate alias, a FIND across servers, one room joined from all three servers, a
direct message, a server killed and its user failing over, the server restarted and its user
coming home. Takes about 10 seconds.

  --channel IP:PORT  multicast channel (default: a random one in 239.255.0.0/16, so the demo never
                     joins a real network's channel)
  -h, --help         this help

Colour when standard output is a terminal, unless NO_COLOR is set.`;

/** Every wait in the demo ends by itself: a step that takes longer than this fails the demo. */
const STEP_TIMEOUT = 20_000;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether to colour the output (a terminal, and NO_COLOR unset). */
  colour: boolean;
}

export async function demoCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    channel: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  const channel =
    values.channel === undefined ? randomChannel() : await endpointFlag(values.channel, '--channel');
  const demo = new Demo(channel, io);
  try {
    await demo.run();
    return 0;
  } catch (error) {
    io.err(`demo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await demo.cleanUp();
  }
}

/** A `chat-proto server` child process, its output collected by line. */
interface ServerProcess {
  alias: string;
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<void>;
}

class Demo {
  readonly #channel: Endpoint;
  readonly #io: Io;
  readonly #folder = mkdtempSync(join(tmpdir(), 'chat-proto-demo-'));
  readonly #servers: ServerProcess[] = [];
  readonly #users: ChatUser[] = [];
  #step = 0;

  constructor(channel: Endpoint, io: Io) {
    this.#channel = channel;
    this.#io = io;
  }

  async run(): Promise<void> {
    const { ip, port } = this.#channel;
    this.#io.out(`${this.#bold('chat-proto demo')}: three servers and four users on this host.`);
    this.#note(`Multicast channel ${ip}:${port} on interface 127.0.0.1; nothing leaves this machine.`);

    this.#heading('Servers find each other');
    this.#note('Each server multicasts DISCOVER <alias> three times; silence means the alias is free.');
    this.#note('Servers that hear a DISCOVER answer +OK and become its neighbours.');
    const state = join(this.#folder, 'alpha.json');
    let alpha = this.#startServer('alpha', ['--state', state]);
    const beta = this.#startServer('beta');
    const gamma = this.#startServer('gamma');
    const [alphaAt, betaAt] = await Promise.all([this.#listening(alpha), this.#listening(beta)]);
    await this.#listening(gamma);
    await Promise.all(
      [alpha, beta, gamma].map((s) =>
        this.#until(() => neighboursOf(s) === 2 || undefined, 'two neighbours', s),
      ),
    );

    this.#heading('A duplicate alias is refused');
    this.#note(
      'A fourth server asks for "beta". beta answers its DISCOVER with -ERR, so it takes the next name.',
    );
    const late = this.#startServer('beta', [], 'newcomer');
    await this.#waitFor(late, /^alias beta is taken; trying \w+/, 'the refusal');
    const renamed = await this.#listening(late);
    await this.#stopServer(late);
    this.#note(
      `The newcomer stops. Its neighbours forget ${renamed.alias} once it has been silent too long and does not answer a probe.`,
    );
    const forgotten = new RegExp(`^neighbour ${renamed.alias} went silent`);
    await Promise.all(
      [alpha, beta, gamma].map((s) => this.#waitFor(s, forgotten, `${renamed.alias} forgotten`)),
    );

    this.#heading('Users register with their servers');
    this.#note(
      'Each user node sends PREFERRED to its server; the +OK lists the neighbours it will fail over to.',
    );
    const ann = await this.#user('ann', alphaAt);
    const bob = await this.#user('bob', betaAt);
    const cat = await this.#user('cat', betaAt);
    const dan = await this.#user('dan', await this.#listening(gamma));

    this.#heading('Finding a user on another server');
    this.#note("dan asks gamma: FIND ann. gamma knows from alpha's KNOWNUSERS gossip where ann is.");
    const found = await dan.find('ann');
    if (found?.server.alias !== 'alpha')
      throw new Error(`dan did not find ann on alpha: ${JSON.stringify(found)}`);
    this.#fromUser(dan, `found ann at ${found.user.ip}:${found.user.port}, served by ${found.server.alias}`);

    this.#heading('A room across the servers');
    this.#note(
      'A room is one room across the network. bob creates "lobby" on beta; cat (on beta), dan (on gamma)',
    );
    this.#note("and ann (on alpha) join it through their own servers, and bob's CSEND reaches each of them.");
    await bob.createRoom('lobby');
    for (const member of [cat, dan, ann]) await member.join('lobby');
    const heard = [cat, dan, ann].map((member) =>
      this.#expect(member, (m) => m.kind === 'room' && m.text === 'hello, lobby'),
    );
    await bob.say('hello, lobby');
    await Promise.all(heard);
    const members = (await bob.who('lobby')).map((u) => u.alias).sort();
    this.#fromUser(bob, `members of lobby, on every server: ${members.join(', ')}`);

    this.#heading('A direct message across servers');
    this.#note('dan sends SEND ann to gamma, which forwards it to alpha, which delivers it to ann.');
    const annHeard = this.#expect(ann, (m) => m.text === 'hi ann, dan here');
    await dan.send('ann', 'hi ann, dan here');
    await annHeard;

    this.#heading("ann's server dies");
    this.#note("alpha is killed with SIGKILL. ann's next request goes unanswered 3 times (300 ms each),");
    this.#note('so she sends PREFERRED alpha to the first neighbour on her list and moves there.');
    const moved = this.#moved(ann, 'failover');
    alpha.child.kill('SIGKILL');
    await alpha.exited;
    this.#fromServer(alpha.alias, 'killed');
    const danHeard = this.#expect(dan, (m) => m.text === 'still here, from my backup');
    await ann.send('dan', 'still here, from my backup');
    const backup = await moved;
    await danHeard;
    // gamma learns where ann is from beta's gossip, after checking that alpha is really gone: a
    // FIND that arrives before that news still names alpha, so dan asks again a moment later.
    let again = await dan.find('ann');
    for (let tries = 1; tries < 5 && again?.server.alias !== backup.alias; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      again = await dan.find('ann');
    }
    this.#fromUser(dan, `found ann again, now served by ${again?.server.alias}`);
    if (again?.server.alias !== backup.alias)
      throw new Error(`dan found ann on ${again?.server.alias}, not ${backup.alias}`);

    this.#heading('alpha comes back, and ann goes home');
    this.#note('alpha restarts on a new port from its state file (alias, channels, neighbours). It asks');
    this.#note(
      'its old neighbours who prefers it (server PREFERRED) and calls ann home; ann EXITs her backup.',
    );
    const home = this.#moved(ann, 'home');
    alpha = this.#startServer('alpha', ['--state', state]);
    await this.#listening(alpha);
    await home;
    const annBack = this.#expect(ann, (m) => m.text === 'welcome back');
    await dan.send('ann', 'welcome back');
    await annBack;

    this.#heading('Done');
    this.#note('Every user leaves with EXIT and every server stops.');
  }

  async cleanUp(): Promise<void> {
    await Promise.all(this.#users.map((u) => u.exit().catch(() => undefined)));
    await Promise.all(this.#users.map((u) => u.close()));
    await Promise.all(this.#servers.map((s) => this.#stopServer(s)));
    rmSync(this.#folder, { recursive: true, force: true });
  }

  /** `label` names the process in the output; by default, the alias it asks for. */
  #startServer(alias: string, extra: string[] = [], label = alias): ServerProcess {
    const { ip, port } = this.#channel;
    const args = ['server', '--alias', alias, '--port', '0', '--channel', `${ip}:${port}`, '--gossip', '500'];
    // The same `chat-proto` entry point that runs this demo, from source or built.
    const child = spawn(process.execPath, [process.argv[1] as string, ...args, ...extra]);
    const server: ServerProcess = {
      alias: label,
      child,
      lines: [],
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        server.lines.push(line);
        this.#fromServer(label, line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => this.#fromServer(label, chunk.toString().trimEnd()));
    this.#servers.push(server);
    return server;
  }

  async #stopServer(server: ServerProcess): Promise<void> {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await server.exited;
  }

  /** Resolves with the server's address once it has claimed its alias. */
  async #listening(server: ServerProcess): Promise<Endpoint & { alias: string }> {
    const line = await this.#waitFor(server, /^server (\w+) listening on ([\d.]+):(\d+)/, 'listening');
    const [, alias, ip, port] = /^server (\w+) listening on ([\d.]+):(\d+)/.exec(line) as RegExpExecArray;
    return { alias: alias as string, ip: ip as string, port: Number(port) };
  }

  #waitFor(server: ServerProcess, pattern: RegExp, what: string): Promise<string> {
    return this.#until(() => server.lines.find((l) => pattern.test(l)), what, server);
  }

  /** Polls `check` until it gives a value; fails if `server` exits first or the step runs long. */
  async #until<T>(check: () => T | undefined, what: string, server: ServerProcess): Promise<T> {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (server.child.exitCode !== null) throw new Error(`server ${server.alias} exited before ${what}`);
      if (Date.now() > deadline)
        throw new Error(`server ${server.alias}: no ${what} within ${STEP_TIMEOUT} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async #user(alias: string, server: Endpoint & { alias: string }): Promise<ChatUser> {
    const user = createUserNode({ alias, server, timeout: 300, retries: 3, keepAlive: 0, findWait: 1000 });
    this.#users.push(user);
    user.on('message', (m) =>
      this.#fromUser(user, `got from ${m.from.alias}${m.room ? ` in ${m.room}` : ''}: "${m.text}"`),
    );
    user.on('serverChanged', (to, from, reason) =>
      this.#fromUser(user, `moved from ${from.alias} to ${to.alias} (${reason})`),
    );
    const at = await user.start();
    this.#fromUser(
      user,
      `registered with ${at.alias}; backups: ${user.backups.map((s) => s.alias).join(', ')}`,
    );
    return user;
  }

  #expect(user: ChatUser, match: (m: ChatMessage) => boolean): Promise<void> {
    return within(
      new Promise<void>((resolve) => {
        const listener = (m: ChatMessage) => {
          if (!match(m)) return;
          user.off('message', listener);
          resolve();
        };
        user.on('message', listener);
      }),
      `${user.self.alias} to get a message`,
    );
  }

  #moved(user: ChatUser, reason: 'failover' | 'home'): Promise<Server> {
    return within(
      new Promise<Server>((resolve) => {
        const listener = (to: Server, _from: Server, why: string) => {
          if (why !== reason) return;
          user.off('serverChanged', listener);
          resolve(to);
        };
        user.on('serverChanged', listener);
      }),
      `${user.self.alias} to move (${reason})`,
    );
  }

  #heading(text: string): void {
    this.#step++;
    this.#io.out('');
    this.#io.out(this.#bold(`${this.#step}. ${text}`));
  }

  #note(text: string): void {
    this.#io.out(this.#style('dim', `   ${text}`));
  }

  #fromServer(alias: string, text: string): void {
    this.#io.out(`   ${this.#style('cyan', `[${alias}]`)} ${text}`);
  }

  #fromUser(user: ChatUser, text: string): void {
    this.#io.out(`   ${this.#style('green', `<${user.self.alias}>`)} ${text}`);
  }

  #bold(text: string): string {
    return this.#style('bold', text);
  }

  #style(format: 'bold' | 'dim' | 'cyan' | 'green', text: string): string {
    return this.#io.colour ? styleText(format, text, { validateStream: false }) : text;
  }
}

/** How many servers this one has reported as neighbours. */
function neighboursOf(server: ServerProcess): number {
  return new Set(server.lines.flatMap((l) => /^neighbour (\w+) at/.exec(l)?.[1] ?? [])).size;
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${STEP_TIMEOUT} ms`)), STEP_TIMEOUT);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
