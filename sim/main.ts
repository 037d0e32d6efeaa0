/**
 * `npm run simulate -- --seed S [--servers N --users N --channels N --minutes N --faults a,b]`
 * runs one seeded simulation and prints its last line as
 * `simulate: seed S digest HEX events N violations V` (exit 1 when V > 0).
 * `--replay FILE` runs a saved fault schedule; `--save FILE` saves this run's; `--shrink` makes a
 * failing run smaller and saves the smallest to FILE (default sim-<seed>.json).
 * `--campaign N` runs seeds S..S+N-1 and reports each failing one.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, FAULT_KINDS, type FaultKind, type SimConfig } from './config.ts';
import { report } from './report.ts';
import { scheduleFor, simulate } from './run.ts';
import { loadSchedule, type Schedule, saveSchedule } from './schedule.ts';
import { shrink } from './shrink.ts';

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(2);
}

function integer(
  name: string,
  text: string | undefined,
  fallback: number,
  min = 0,
  max = 2 ** 32 - 1,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

function faultList(text: string | undefined): FaultKind[] {
  if (text === undefined || text === 'all') return [...FAULT_KINDS];
  if (text === 'none' || text === '') return [];
  const kinds = text.split(',');
  for (const kind of kinds)
    if (!FAULT_KINDS.includes(kind as FaultKind))
      fail(`--faults: unknown fault "${kind}" (known: ${FAULT_KINDS.join(', ')}, all, none)`);
  return kinds as FaultKind[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      servers: { type: 'string' },
      users: { type: 'string' },
      channels: { type: 'string' },
      minutes: { type: 'string' },
      faults: { type: 'string' },
      replay: { type: 'string' },
      save: { type: 'string' },
      shrink: { type: 'boolean' },
      campaign: { type: 'string' },
    },
    strict: true,
  });
  let schedule: Schedule;
  if (values.replay) {
    try {
      schedule = loadSchedule(values.replay);
    } catch (error) {
      fail((error as Error).message);
    }
  } else {
    if (values.seed === undefined) fail('--seed S is required (or --replay FILE)');
    const config: SimConfig = {
      seed: integer('seed', values.seed, 0),
      // The port space: ten ports per server from 10000, one per user node from 30000.
      servers: integer('servers', values.servers, DEFAULT_CONFIG.servers, 1, 2000),
      users: integer('users', values.users, DEFAULT_CONFIG.users, 0, 20_000),
      channels: integer('channels', values.channels, DEFAULT_CONFIG.channels, 1),
      minutes: integer('minutes', values.minutes, DEFAULT_CONFIG.minutes, 1),
      faults: faultList(values.faults),
    };
    schedule = scheduleFor(config);
  }
  if (values.campaign !== undefined) {
    const runs = integer('campaign', values.campaign, 0, 1);
    let failing = 0;
    for (let i = 0; i < runs; i++) {
      const config = { ...schedule.config, seed: schedule.config.seed + i };
      const result = await simulate(scheduleFor(config));
      const lines = report(result);
      if (result.violations.length > 0) {
        failing++;
        console.log(lines.join('\n'));
      } else console.log(lines.at(-1));
    }
    console.log(`simulate: campaign of ${runs} seeds from ${schedule.config.seed}: ${failing} failing`);
    process.exitCode = failing > 0 ? 1 : 0;
    return;
  }
  const result = await simulate(schedule);
  if (values.save) saveSchedule(values.save, schedule);
  if (values.shrink && result.violations.length > 0) {
    const file = values.save ?? `sim-${schedule.config.seed}.json`;
    const small = await shrink(schedule, (line) => console.log(line));
    saveSchedule(file, small.schedule);
    console.log(
      `shrunk to ${small.schedule.faults.length} fault(s), ${small.schedule.config.servers} server(s), ` +
        `${small.schedule.config.users} user(s), ${small.schedule.config.minutes} minute(s): saved to ${file} (--replay ${file})`,
    );
  }
  console.log(report(result).join('\n'));
  process.exitCode = result.violations.length > 0 ? 1 : 0;
}

await main();
