/**
 * One simulated run: the world built from the seed, the workload and the fault schedule put on
 * the virtual clock, the clock run to the end, then the history judged. Deterministic: every
 * random choice comes from the seed, and nothing waits on real time or real I/O.
 */

import { check, type Violation } from './checker.ts';
import { BOUNDS, type SimConfig } from './config.ts';
import { applySchedule } from './faults.ts';
import type { SendMeter } from './observed.ts';
import { Random } from './random.ts';
import { drawSchedule, type Schedule } from './schedule.ts';
import type { TraceEvent } from './trace.ts';
import { Workload } from './workload.ts';
import { World } from './world.ts';

export interface RunResult {
  schedule: Schedule;
  digest: string;
  /** Events recorded plus datagrams sent. */
  events: number;
  datagrams: number;
  violations: Violation[];
  trace: readonly TraceEvent[];
  /** Virtual ms the run lasted. */
  virtualMs: number;
  /** Datagrams and bytes sent by servers and by user nodes. */
  sent: SendMeter['totals'];
}

/** The schedule a seed gives (its faults drawn from the seed's fault stream). */
export function scheduleFor(config: SimConfig): Schedule {
  return drawSchedule(config, streams(config.seed).faults);
}

function streams(seed: number) {
  const root = new Random(seed);
  return { world: root.fork(), workload: root.fork(), faults: root.fork(), rogue: root.fork() };
}

export async function simulate(schedule: Schedule): Promise<RunResult> {
  const config = schedule.config;
  const random = streams(config.seed);
  const world = new World(config, random.world);
  const span = config.minutes * 60_000;
  // After the workload, time for the last checks: deliveries, homecomings, a settled network.
  const last = Math.max(span, ...schedule.faults.map((f) => f.until)) + BOUNDS.home + BOUNDS.settle;
  const unhandled = (error: unknown) =>
    world.trace.record('unhandled', 'process', { error: String((error as Error)?.stack ?? error) });
  process.on('unhandledRejection', unhandled);
  process.on('uncaughtException', unhandled);
  try {
    new Workload(world, random.workload, span).start();
    applySchedule(world, schedule, random.rogue);
    await new Promise<void>((resolve) => {
      const guard = world.clock.setInterval(() => {
        if (world.trace.time >= last || world.meter.runaway) {
          guard.cancel();
          resolve();
        }
      }, 1000);
    });
    world.trace.record('end', 'net', {});
    const result: RunResult = {
      schedule,
      digest: world.trace.digest(),
      events: world.trace.count,
      datagrams: world.trace.datagrams,
      violations: check(world.trace.events),
      trace: world.trace.events,
      virtualMs: world.trace.time,
      sent: world.meter.totals,
    };
    await world.close();
    return result;
  } finally {
    process.off('unhandledRejection', unhandled);
    process.off('uncaughtException', unhandled);
  }
}
