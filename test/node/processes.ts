/** The built `chat-proto` command as child processes: output collected by line, killed after each test. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach } from 'vitest';
import { until } from './helpers.ts';

export const CLI = 'dist/cli/main.js';
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

export type CliProcess = ReturnType<typeof runCli>;

/**
 * Starts `chat-proto ARGS...`, inside network namespace `netns` if given (`ip netns exec` execs
 * the command, so the child is the CLI itself). `waitFor` resolves with the first matching line.
 */
export function runCli(args: string[], netns?: string) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const command = [process.execPath, CLI, ...args];
  const child =
    netns === undefined
      ? spawn(command[0] as string, command.slice(1))
      : spawn('ip', ['netns', 'exec', netns, ...command]);
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  const errors: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeout?: number) =>
    until(
      () => lines.find((l) => pattern.test(l)),
      `a line matching ${pattern}; got ${JSON.stringify(lines)} ${errors.join('')}`,
      timeout,
    );
  return { child, lines, errors, exited, waitFor, type: (line: string) => child.stdin.write(`${line}\n`) };
}

/** Starts a server process and resolves with it and its port once it listens. */
export async function runServer(alias: string, args: string[]): Promise<CliProcess & { port: number }> {
  const server = runCli(['server', '--alias', alias, '--port', '0', ...args]);
  const listening = await server.waitFor(/^server \w+ listening on 127\.0\.0\.1:\d+/);
  return { ...server, port: Number(/:(\d+),/.exec(listening)?.[1]) };
}
