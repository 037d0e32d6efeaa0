/**
 * Reproducing small: a run's fault schedule saved and replayed gives the same run, and a failing
 * run shrinks to fewer faults, nodes and minutes that still fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { ciConfig } from '../../sim/ci-seeds.ts';
import { scheduleFor, simulate } from '../../sim/run.ts';
import { loadSchedule, saveSchedule } from '../../sim/schedule.ts';
import { shrink } from '../../sim/shrink.ts';
import { plantedFaults } from '../../src/node/planted-faults.ts';

const folder = mkdtempSync(join(tmpdir(), 'sim-replay-'));
afterEach(() => plantedFaults.clear());
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('a saved schedule replays to the same digest', async () => {
  const schedule = scheduleFor(ciConfig(0));
  expect(schedule.faults.length).toBeGreaterThan(0);
  const file = join(folder, 'run.json');
  saveSchedule(file, schedule);
  const [first, replayed] = [await simulate(schedule), await simulate(loadSchedule(file))];
  expect(replayed.digest).toBe(first.digest);
});

test('a replay file that is not a schedule is refused, naming what is wrong', () => {
  const file = join(folder, 'bad.json');
  writeFileSync(file, JSON.stringify({ config: { seed: 1 }, faults: [{ kind: 'flood', at: 1, until: 2 }] }));
  expect(() => loadSchedule(file)).toThrow(/faults\[0\] is not a fault/);
  writeFileSync(file, '{');
  expect(() => loadSchedule(file)).toThrow(/replay file .*bad\.json/);
});

test('a failing run shrinks to a smaller schedule that still fails', { timeout: 120_000 }, async () => {
  plantedFaults.add('deliverTwice');
  // The first CI run with more than one fault that this planted fault fails: it needs none of them.
  let schedule = scheduleFor(ciConfig(0));
  for (let i = 0; schedule.faults.length < 2 || (await simulate(schedule)).violations.length === 0; i++) {
    expect(i).toBeLessThan(100);
    schedule = scheduleFor(ciConfig(i + 1));
  }
  const small = await shrink(schedule);
  const smaller =
    small.schedule.faults.length < schedule.faults.length ||
    small.schedule.config.servers < schedule.config.servers ||
    small.schedule.config.users < schedule.config.users;
  expect(smaller).toBe(true);
  expect((await simulate(small.schedule)).violations.length).toBeGreaterThan(0);
});

test('the command prints the digest line last, the same in another process, and refuses an unknown fault by name', () => {
  const main = join(import.meta.dirname, '../../sim/main.ts');
  const run = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  const ok = run('--seed', '3', '--minutes', '1', '--faults', 'crash,loss');
  expect(ok.status).toBe(0);
  // Another process, the same seed: the same run.
  expect(run('--seed', '3', '--minutes', '1', '--faults', 'crash,loss').stdout).toBe(ok.stdout);
  expect(ok.stdout.trimEnd().split('\n').at(-1)).toMatch(
    /^simulate: seed 3 digest [0-9a-f]{16} events \d+ violations 0$/,
  );
  const bad = run('--seed', '3', '--faults', 'loss,flood');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--faults: unknown fault "flood"/);
});
