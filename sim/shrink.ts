/**
 * Shrinking a failing run, as fast-check shrinks a counterexample: fewer faults (halves, then
 * one at a time), then fewer servers and users (halves, then one at a time), then fewer minutes, keeping each step only if
 * the run still fails. The seed stays: the workload of a smaller world is drawn afresh from it.
 */
import { simulate } from './run.ts';
import type { Fault, Schedule } from './schedule.ts';

async function fails(schedule: Schedule): Promise<boolean> {
  return (await simulate(schedule)).violations.length > 0;
}

/** The smallest failing schedule found from `schedule`, which must fail. */
export async function shrink(
  schedule: Schedule,
  log: (line: string) => void = () => {},
): Promise<{ schedule: Schedule; runs: number }> {
  let best = schedule;
  let runs = 0;
  const tryOne = async (candidate: Schedule, what: string) => {
    runs++;
    if (!(await fails(candidate))) return false;
    log(`shrink: ${what}: still fails`);
    best = candidate;
    return true;
  };
  // Faults: drop halves while that keeps it failing, then single faults.
  for (let size = Math.ceil(best.faults.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i < best.faults.length; ) {
      const faults = best.faults.filter((_, j) => j < i || j >= i + size);
      if (!(await tryOne({ ...best, faults }, `without faults ${i}..${i + size - 1}`))) i += size;
    }
  }
  // Nodes: fewer servers (faults on servers that no longer exist go), fewer users.
  for (const key of ['servers', 'users'] as const) {
    while (best.config[key] > 1) {
      // Halving while it is large; one at a time when few are left.
      const count = best.config[key] > 8 ? Math.floor(best.config[key] / 2) : best.config[key] - 1;
      const config = { ...best.config, [key]: count };
      const faults = best.faults.filter((f) => fits(f, config.servers));
      if (!(await tryOne({ config, faults }, `${count} ${key}`))) break;
    }
  }
  // Time: fewer minutes, dropping faults that would start after the end.
  while (best.config.minutes > 1) {
    const minutes = best.config.minutes - 1;
    const faults = best.faults.filter((f) => f.at < minutes * 60_000);
    if (!(await tryOne({ config: { ...best.config, minutes }, faults }, `${minutes} minute(s)`))) break;
  }
  return { schedule: best, runs };
}

function fits(fault: Fault, servers: number): boolean {
  if (fault.kind === 'crash') return fault.server < servers;
  if (fault.kind === 'partition') return fault.side.every((s) => s < servers) && fault.side.length < servers;
  return true;
}
