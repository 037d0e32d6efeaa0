/** The server state file (Section II.v): atomic, durable, and never trusted blindly. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createServer, MemoryNetwork } from '../../src/node/index.ts';
import {
  loadState,
  MAX_STATE_BYTES,
  type ServerState,
  StateFile,
  StateFileError,
} from '../../src/node/server/state.ts';

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
  ['no format', '{"alias": "a", "channels": [], "neighbours": []}', /is not a format 1 server state/],
  ['no alias', JSON.stringify({ ...sample, alias: undefined }), /"alias" must be a string/],
  ['a number for an alias', JSON.stringify({ ...sample, alias: 42 }), /"alias" must be a string/],
  ['an array', '[1, 2]', /is not a format 1 server state/],
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

test('a state file whose alias is missing or not a string is reported, and the server starts fresh', async () => {
  const file = join(folder, 'numeric-alias.json');
  writeFileSync(file, JSON.stringify({ ...sample, alias: 42 }));
  const server = createServer({
    alias: 'fresh',
    state: file,
    probeInterval: 10,
    transport: new MemoryNetwork().transport(),
  });
  const warnings: string[] = [];
  server.on('warning', (w) => warnings.push(w.message));
  expect((await server.start()).alias).toBe('fresh');
  await server.close();
  expect(warnings).toEqual([expect.stringMatching(/"alias" must be a string; starting without it/)]);
  expect(await loadState(file)).toMatchObject({ alias: 'fresh' });
});

test('channels of a state file that JOINCHANNEL would refuse are left out, each reported in one line', async () => {
  const file = join(folder, 'unfit-channels.json');
  const kept = { ip: '239.255.4.6', port: 8460 };
  const unfit = [
    { ip: '239.255.4.5', port: 0 },
    { ip: '224.0.0.1', port: 8450 },
    { ip: '239.255.255.255', port: 8450 },
    { ip: '10.0.0.9', port: 8450 },
  ];
  writeFileSync(file, JSON.stringify({ ...sample, channels: [...unfit, kept] }));
  const server = createServer({
    alias: 'alpha',
    state: file,
    probeInterval: 10,
    transport: new MemoryNetwork().transport(),
  });
  const warnings: string[] = [];
  server.on('warning', (w) => warnings.push(w.message));
  await server.start();
  expect(server.channels).toEqual([{ ip: '230.0.0.1', port: 8450 }, kept]);
  await server.close();
  expect(warnings).toEqual([
    'state file: channel 239.255.4.5:0 left out: port 0 is not a channel',
    'state file: channel 224.0.0.1:8450 left out: 224.0.0.1 is in the Local Network Control Block (224.0.0.0/24), not a channel',
    'state file: channel 239.255.255.255:8450 left out: 239.255.255.255 is the broadcast address of the IPv4 Local Scope, not a channel',
    'state file: channel 10.0.0.9:8450 left out: 10.0.0.9 is not a multicast address (224.0.0.0/4)',
  ]);
  // The next save no longer names them.
  expect((await loadState(file))?.channels).toEqual([{ ip: '230.0.0.1', port: 8450 }, kept]);
});

test('a state file of a newer format is neither used nor overwritten: start() rejects', async () => {
  const file = join(folder, 'newer.json');
  const newer = JSON.stringify({ format: 2, alias: 'alpha', peers: [] });
  writeFileSync(file, newer);
  const server = createServer({
    alias: 'alpha',
    state: file,
    probeInterval: 10,
    transport: new MemoryNetwork().transport(),
  });
  await expect(server.start()).rejects.toThrow(
    /has format 2, newer than this version's 1; not overwriting it/,
  );
  expect(readFileSync(file, 'utf8')).toBe(newer);
});

test('a state file that is a symbolic link is never followed: start() rejects and the target is unchanged', async () => {
  const target = join(folder, 'precious.txt');
  writeFileSync(target, 'do not touch\n');
  const link = join(folder, 'link.json');
  symlinkSync(target, link);
  const server = createServer({
    alias: 'alpha',
    state: link,
    probeInterval: 10,
    transport: new MemoryNetwork().transport(),
  });
  await expect(server.start()).rejects.toThrow(/is a symbolic link; refusing to follow it/);
  expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
  // Nor does a save write through one.
  const errors: Error[] = [];
  const saver = new StateFile(link, (e) => errors.push(e));
  saver.save(sample);
  await saver.flushed();
  expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/symbolic link/)]);
  expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
});

test('a state file larger than MAX_STATE_BYTES is refused by its size, before it is read', async () => {
  const file = join(folder, 'huge.json');
  writeFileSync(file, Buffer.alloc(MAX_STATE_BYTES + 1, 0x20));
  await expect(loadState(file)).rejects.toThrow(
    `is ${MAX_STATE_BYTES + 1} bytes; a state file is at most ${MAX_STATE_BYTES}`,
  );
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
