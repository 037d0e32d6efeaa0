/** The server state file (Section II.v): atomic, durable, and never trusted blindly. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createServer, MemoryNetwork } from '../../src/node/index.ts';
import { loadState, type ServerState, StateFile, StateFileError } from '../../src/node/server/state.ts';

const folder = mkdtempSync(join(tmpdir(), 'chat-proto-state-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const sample: ServerState = {
  format: 1,
  alias: 'alpha',
  channels: [{ ip: '230.0.0.1', port: 8450 }],
  neighbours: [{ kind: 'Server', alias: 'beta', ip: '127.0.0.1', port: 8001 }],
};

test('a saved state loads back as it was; a missing file is a first start', async () => {
  const file = join(folder, 'roundtrip.json');
  expect(await loadState(file)).toBeUndefined();
  const saver = new StateFile(file, (error) => {
    throw error;
  });
  saver.save({ ...sample, alias: 'old' });
  saver.save(sample); // replaces the save still waiting: the file ends with the latest
  await saver.flushed();
  expect(await loadState(file)).toEqual(sample);
  expect(readdirSync(folder).filter((name) => name.startsWith('roundtrip'))).toEqual(['roundtrip.json']);
});

test.each([
  ['not JSON', '{"format": 1, "alias": "alp', /is not JSON/],
  ['another format', '{"format": 2}', /is not a format 1 server state/],
  ['no lists', '{"format": 1, "alias": "a"}', /"channels" and "neighbours" must be arrays/],
  ['a bad alias', JSON.stringify({ ...sample, alias: 'no spaces' }), /holds an invalid value .*alias/],
  [
    'a bad neighbour',
    JSON.stringify({ ...sample, neighbours: [{ kind: 'Server', alias: 'b', ip: '300.0.0.1', port: 1 }] }),
    /holds an invalid value .*ip/,
  ],
  [
    'a bad channel',
    JSON.stringify({ ...sample, channels: [{ ip: '230.0.0.1', port: 70000 }] }),
    /holds an invalid value .*port/,
  ],
])('a state file with %s is refused with a reason', async (_, text, reason) => {
  const file = join(folder, 'bad.json');
  writeFileSync(file, text);
  const error = await loadState(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StateFileError);
  expect((error as Error).message).toMatch(reason);
  expect((error as Error).message).toContain(file);
});

test('a server with a corrupt state file reports it and starts fresh under its given alias', async () => {
  const file = join(folder, 'corrupt.json');
  writeFileSync(file, '{ torn');
  const network = new MemoryNetwork();
  const server = createServer({
    alias: 'fresh',
    state: file,
    probeInterval: 10,
    transport: network.transport(),
  });
  const warnings: string[] = [];
  server.on('warning', (w) => warnings.push(w.message));
  expect((await server.start()).alias).toBe('fresh');
  expect(warnings).toEqual([expect.stringMatching(/corrupt\.json: is not JSON .*; starting without it/)]);
  await server.close();
  // Its own state replaced the corrupt file.
  expect(await loadState(file)).toMatchObject({ format: 1, alias: 'fresh', neighbours: [] });
});

test('killing the writer at random moments never leaves a torn file', async () => {
  const file = join(folder, 'crash.json');
  const writer = join(import.meta.dirname, 'fixtures', 'state-writer.ts');
  const seen = new Set<string>();
  for (let kill = 0; kill < 25; kill++) {
    const child = spawn(process.execPath, [writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Wait until it is writing, then let it run a random while before SIGKILL.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
    child.kill('SIGKILL');
    await exited;
    const state = await loadState(file); // throws on anything torn or mixed
    const generation = Number(state?.alias.slice(1));
    expect(state?.neighbours).toHaveLength(generation % 50);
    for (const [i, n] of (state?.neighbours ?? []).entries())
      expect(n).toMatchObject({ alias: `n${generation}x${i}`, port: i + 1 });
    seen.add(state?.alias ?? '');
  }
  // The kills landed at different moments, not all before or after the same write.
  expect(seen.size).toBeGreaterThan(1);
});
