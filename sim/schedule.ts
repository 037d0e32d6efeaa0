/**
 * The fault schedule: which faults happen when, drawn from the seed or read from a file
 * (`--replay`), so a failing run can be saved, replayed and shrunk.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FAULT_KINDS, type FaultKind, type SimConfig } from './config.ts';
import type { Random } from './random.ts';

/** One fault: from `at` to `until` (virtual ms). */
export type Fault =
  | { kind: 'loss'; at: number; until: number; p: number }
  | { kind: 'duplicate'; at: number; until: number; p: number }
  | { kind: 'reorder'; at: number; until: number; jitterMs: number }
  | { kind: 'spike'; at: number; until: number; delayMs: number }
  /** Servers in `side` (with their users) cut off from the rest. */
  | { kind: 'partition'; at: number; until: number; side: number[] }
  /** Server `server` dies at `at` and restarts at `until`, from its latest save or an older one. */
  | { kind: 'crash'; at: number; until: number; server: number; older: boolean }
  /** A rogue node sends garbage and forged calls home every `everyMs`. */
  | { kind: 'garbage'; at: number; until: number; everyMs: number }
  /** The clock jumps forward by `ms` at `at`; `until` is when the network has had time to recover. */
  | { kind: 'jump'; at: number; until: number; ms: number };

export interface Schedule {
  config: SimConfig;
  faults: Fault[];
}

/** Faults of the kinds asked for, spread over the run, drawn from `random`. */
export function drawSchedule(config: SimConfig, random: Random): Schedule {
  const span = config.minutes * 60_000;
  const faults: Fault[] = [];
  const count =
    config.faults.length === 0 ? 0 : random.between(1, Math.max(2, Math.round(config.minutes * 3)));
  for (let i = 0; i < count; i++) {
    const kind = random.pick(config.faults);
    // Faults start after the network has formed and end before the last quarter, so the end of
    // every run is quiet and the checks that need a settled network have something to judge.
    const at = random.between(5000, Math.max(6000, Math.floor(span * 0.7)));
    const length = random.between(1000, 15_000);
    const until = at + length;
    const fault = drawOne(kind, at, until, config, random);
    if (fault) faults.push(fault);
  }
  faults.sort((a, b) => a.at - b.at);
  return { config, faults: withoutClashes(faults) };
}

function drawOne(
  kind: FaultKind,
  at: number,
  until: number,
  config: SimConfig,
  random: Random,
): Fault | undefined {
  switch (kind) {
    case 'loss':
      return { kind, at, until, p: random.pick([0.02, 0.08, 0.3]) };
    case 'duplicate':
      return { kind, at, until, p: random.pick([0.05, 0.2, 0.5]) };
    case 'reorder':
      return { kind, at, until, jitterMs: random.pick([5, 50, 300]) };
    case 'spike':
      return { kind, at, until: at + random.between(200, 3000), delayMs: random.pick([150, 600, 1500]) };
    case 'partition': {
      if (config.servers < 2) return undefined;
      const side = [...Array(config.servers).keys()].filter(() => random.chance(0.5));
      if (side.length === 0 || side.length === config.servers) side.splice(0, side.length, 0);
      return { kind, at, until, side };
    }
    case 'crash':
      // Down long enough for its users to notice and fail over (about (N + 1) x T plus a keep-alive).
      return {
        kind,
        at,
        until: at + random.between(5000, 20_000),
        server: random.int(config.servers),
        older: random.chance(0.3),
      };
    case 'garbage':
      return { kind, at, until, everyMs: random.pick([20, 100, 500]) };
    case 'jump':
      return { kind, at, until: at + 1, ms: random.pick([2000, 8000, 30_000]) };
  }
}

/**
 * One fault of each network knob, one partition and one crash of a server at a time: a fault
 * that would overlap one of its own sort is dropped, so each start has one matching end.
 */
function withoutClashes(faults: Fault[]): Fault[] {
  const busyUntil = new Map<string, number>();
  return faults.filter((fault) => {
    const key = fault.kind === 'crash' ? `crash ${fault.server}` : fault.kind;
    if ((busyUntil.get(key) ?? -1) >= fault.at) return false;
    busyUntil.set(key, fault.until);
    return true;
  });
}

export function saveSchedule(file: string, schedule: Schedule): void {
  writeFileSync(file, `${JSON.stringify(schedule, null, 2)}\n`);
}

/** Reads a schedule saved by `saveSchedule`; throws naming what is wrong with it. */
export function loadSchedule(file: string): Schedule {
  let value: Schedule;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`replay file ${file}: ${(error as Error).message}`);
  }
  const config = value?.config;
  if (!config || !Number.isInteger(config.seed) || !Array.isArray(value.faults)) {
    throw new Error(`replay file ${file}: not a schedule (needs "config" with a seed, and "faults")`);
  }
  for (const [i, fault] of value.faults.entries()) {
    if (!FAULT_KINDS.includes(fault?.kind) || !Number.isFinite(fault.at) || !Number.isFinite(fault.until)) {
      throw new Error(`replay file ${file}: faults[${i}] is not a fault (kind, at, until)`);
    }
  }
  return value;
}
