/**
 * What a user case is given: kit servers to play the node's server and its neighbours, and the
 * node under test started from the command line given, with the kit's addresses substituted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { FakeServer } from './actors/fake-server.ts';
import { type Address, Probe } from './probe.ts';
import type { Transcript } from './transcript.ts';

/** How the user node under test is started and how long the kit waits for what it does by itself. */
export interface UserTargetOptions {
  /**
   * The command that starts the user node: `{server}` is replaced by the kit server's `IP:PORT`,
   * `{server-ip}` and `{server-port}` by its parts, `{alias}` by an alias for the case.
   */
  command: readonly string[];
  /**
   * How long the kit waits for the node to act by itself (register, send a keep-alive, notice a
   * failed server and move), in ms. Default 15000.
   */
  patience?: number;
  /** How long the kit waits for a quick answer (to a call home, after a delivery), in ms. Default 2000. */
  wait?: number;
}

/** Replaces `{server}`, `{server-ip}`, `{server-port}` and `{alias}` in each word of the command. */
export function substitute(command: readonly string[], server: Address, alias: string): string[] {
  return command.map((word) =>
    word
      .replaceAll('{server}', `${server.ip}:${server.port}`)
      .replaceAll('{server-ip}', server.ip)
      .replaceAll('{server-port}', String(server.port))
      .replaceAll('{alias}', alias),
  );
}

/** Given to each user case; the node and every kit socket are stopped when the case ends. */
export class UserCaseContext {
  readonly command: readonly string[];
  readonly patience: number;
  readonly wait: number;
  readonly transcript: Transcript;
  readonly observed: string[] = [];
  /** The alias the node under test is given through `{alias}`. */
  readonly alias: string;
  readonly #tag: string;
  readonly #servers: FakeServer[] = [];
  #child: ChildProcess | undefined;
  #exit: Promise<number | null> | undefined;
  readonly output: string[] = [];

  constructor(options: UserTargetOptions, transcript: Transcript, tag: string) {
    this.command = options.command;
    this.patience = options.patience ?? 15_000;
    this.wait = options.wait ?? 2000;
    this.transcript = transcript;
    this.#tag = tag;
    this.alias = `node${tag}`;
  }

  aliasFor(name: string): string {
    return `${name}${this.#tag}`;
  }

  note(text: string): void {
    this.observed.push(text);
  }

  /** A kit server on a socket of its own, named `name` plus the case's tag. */
  async server(name: string): Promise<FakeServer> {
    const alias = this.aliasFor(name);
    const probe = new Probe(alias, this.transcript);
    await probe.open();
    const server = new FakeServer(probe, alias);
    this.#servers.push(server);
    return server;
  }

  /** Starts the node under test with `home` as its server; its output goes into the transcript. */
  start(home: FakeServer): void {
    const [file, ...args] = substitute(this.command, home.probe.address, this.alias);
    if (!file) throw new Error('no command to start the user node with');
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', (error) => {
        this.note(`cannot start ${file}: ${error.message}`);
        resolve(null);
      });
    });
    const lines = (stream: 'stdout' | 'stderr') => {
      let partial = '';
      child[stream]?.on('data', (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          if (this.output.length < 1000) this.output.push(line);
          this.transcript.record({
            actor: 'node',
            direction: 'output',
            peer: stream,
            text: line,
            bytes: line.length,
          });
        }
      });
    };
    lines('stdout');
    lines('stderr');
  }

  /** Resolves with the node's exit code once it has exited, or `'running'` after `timeout` ms. */
  async exited(timeout: number): Promise<number | null | 'running'> {
    if (!this.#exit) return null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const running = new Promise<'running'>((resolve) => {
      timer = setTimeout(() => resolve('running'), timeout);
    });
    return Promise.race([this.#exit, running]).finally(() => clearTimeout(timer));
  }

  /** Waits until a line of the node's output contains `text`, for at most `timeout` ms. */
  async outputContains(text: string, timeout: number): Promise<boolean> {
    const deadline = performance.now() + timeout;
    while (performance.now() < deadline) {
      if (this.output.some((l) => l.includes(text))) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.output.some((l) => l.includes(text));
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if ((await this.exited(1000)) === 'running') child.kill('SIGKILL');
      await this.exited(1000);
    }
    await Promise.all(this.#servers.splice(0).map((s) => s.close()));
  }
}
