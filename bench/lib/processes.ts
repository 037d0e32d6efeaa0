/** Benchmark fixtures in processes of their own: started, asked for their port, and stopped. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:dgram';
import { on, once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ServerReply, safeParse, serialize } from '../../src/index.ts';
import { randomChannel } from '../../src/values.ts';

export interface Fixture {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Runs bench/fixtures/<name>.ts with `args`; resolves once it prints `port N` (10 s at most). */
export async function startFixture(name: string, args: string[] = []): Promise<Fixture> {
  const script = join(import.meta.dirname, '..', 'fixtures', `${name}.ts`);
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 10 s`)), 10_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before starting`)));
    lines.on('line', (line) => {
      const match = /^port (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** A multicast channel of its own on the loopback interface, so runs never hear each other. */
export function uniqueChannel(): [string, string] {
  const { ip, port } = randomChannel();
  return [ip, String(port)];
}

/**
 * Sends `text` from `socket` to `port` on 127.0.0.1 and resolves with the first ServerReply that
 * comes back (other datagrams, such as the KNOWNSERVERS a server sends a new user, are passed
 * over); tries `tries` times, 500 ms apart.
 */
export async function request(socket: Socket, text: string, port: number, tries = 10): Promise<ServerReply> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 500);
    socket.send(text, port, '127.0.0.1');
    try {
      for await (const [data] of on(socket, 'message', { signal: controller.signal })) {
        const packet = safeParse(data as Buffer);
        if (packet.ok && packet.value.kind === 'ServerReply') return packet.value;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
  }
  throw new Error(`no answer to ${text.trim()}`);
}

/** Like `request`, for a request that must be accepted: a -ERR is an error. */
export async function accepted(socket: Socket, text: string, port: number): Promise<ServerReply> {
  const reply = await request(socket, text, port);
  if (reply.status !== '+OK') throw new Error(`refused: ${serialize(reply)}`);
  return reply;
}
