/** `chat-proto conformance` as a command: the case list, the reports it writes, its exit status. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { serverCases, userCases } from '../../src/conformance/index.ts';
import { GOSSIP_MS, referenceServer } from './reference-server.ts';

const folder = mkdtempSync(join(tmpdir(), 'chat-proto-conformance-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `chat-proto conformance ARGS...` from the sources; resolves with its status and output. */
function conformance(args: string[]): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli/main.ts', 'conformance', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (status) => resolve({ status, out, err }));
  });
}

test('--dryrun lists every case of the mode, with its level', async () => {
  const server = await conformance(['server', '--dryrun']);
  expect(server.status).toBe(0);
  expect(
    server.out
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]),
  ).toEqual(serverCases().map((c) => c.id));
  const user = await conformance(['user', '--dryrun', 'II.iii']);
  expect(
    user.out
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]),
  ).toEqual(
    userCases()
      .filter((c) => c.section === 'II.iii')
      .map((c) => c.id),
  );
});

test('a run against the reference server passes and writes JUnit, JSON and HTML reports', {
  timeout: 30_000,
}, async () => {
  const reference = await referenceServer('clitarget');
  try {
    const files = {
      junit: join(folder, 'r.xml'),
      json: join(folder, 'r.json'),
      html: join(folder, 'r.html'),
    };
    const { ip, port } = reference.target;
    const run = await conformance([
      'server',
      `${ip}:${port}`,
      '--channel',
      `${reference.channel.ip}:${reference.channel.port}`,
      '--gossip',
      String(GOSSIP_MS),
      'I.i',
      'IV/list',
      '--junit',
      files.junit,
      '--json',
      files.json,
      '--html',
      files.html,
    ]);
    expect(run.err).toContain('wrote');
    expect(run.status).toBe(0);
    expect(run.out).toContain('IV/list');
    expect(run.out).not.toContain('\x1b['); // no colour when not at a terminal
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as {
      passed: boolean;
      results: { id: string }[];
    };
    expect(json.passed).toBe(true);
    const ids = serverCases()
      .filter((c) => c.section === 'I.i' || c.id === 'IV/list')
      .map((c) => c.id);
    expect(json.results.map((r) => r.id)).toEqual(ids);
    const junit = readFileSync(files.junit, 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(junit.match(/<testcase /g)?.length).toBe(ids.length);
    expect(junit).not.toContain('<failure');
    const html = readFileSync(files.html, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    for (const id of ids) expect(html).toContain(id);
    expect(html).not.toMatch(/<script|<link|https?:\/\//); // self-contained
  } finally {
    await reference.close();
  }
});

test('the exit status is 1 when a MUST case fails, 2 for a usage error', { timeout: 20_000 }, async () => {
  // Nothing answers on the discard port: registration fails.
  const failing = await conformance(['server', '127.0.0.1:9', 'I.i/preferred-registers', '--wait', '50']);
  expect(failing.out).toMatch(/^Fail\s+MUST\s+I\.i\/preferred-registers/m);
  expect(failing.status).toBe(1);
  const usage = await conformance(['sideways']);
  expect(usage.status).toBe(2);
  expect(usage.err).toContain('Run chat-proto conformance --help for the options.');
  expect(usage.err).not.toContain('Usage:');
  const unknown = await conformance(['server', '127.0.0.1:9', 'IX/nothing']);
  expect(unknown.status).toBe(2);
  // A host name is an address too: localhost resolves, and the run goes on (and fails, as above).
  const named = await conformance(['server', 'localhost:9', 'I.i/preferred-registers', '--wait', '50']);
  expect(named.err).toBe('');
  expect(named.out).toMatch(/^Fail\s+MUST\s+I\.i\/preferred-registers/m);
  expect(named.status).toBe(1);
});
