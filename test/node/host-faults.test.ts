/** Faults of the host end the process with the reason, instead of leaving it running half-started. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI } from './processes.ts';

const folder = mkdtempSync(join(tmpdir(), 'chat-proto-faults-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('a server that runs out of file descriptors while joining its channels says why and exits', async () => {
  // 16 saved channels (limits.channels) need 16 sockets beside the runtime's own; the process may open 30 files.
  const channels = Array.from({ length: 16 }, (_, i) => ({ ip: `239.255.77.${i + 1}`, port: 18450 }));
  const state = join(folder, 'many-channels.json');
  writeFileSync(state, JSON.stringify({ format: 1, alias: 'alpha', channels, neighbours: [] }));
  const command = `ulimit -n 30 && exec "${process.execPath}" ${CLI} server --alias alpha --port 0 --state ${state}`;
  const child = spawn('bash', ['-c', command]);
  const errors: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const status = await Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r('still running'), 15_000)),
  ]);
  child.kill('SIGKILL');
  expect(status).toBe(1);
  expect(errors.join('')).toMatch(/EMFILE|too many open files/i);
});
