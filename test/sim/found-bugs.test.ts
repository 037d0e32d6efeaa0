/**
 * Seeds on which the simulator found real bugs, pinned: each run is judged clean now, and still
 * goes through what once broke (so a change to the workload that no longer reaches it shows).
 */
import { expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../sim/config.ts';
import { report } from '../../sim/report.ts';
import { scheduleFor, simulate } from '../../sim/run.ts';

test('seed 5003: two servers on channels joined only through bridges that claimed one alias end with two', async () => {
  const config = {
    ...DEFAULT_CONFIG,
    seed: 5003,
    servers: 6,
    users: 24,
    channels: 3,
    minutes: 3,
    faults: [],
  };
  const result = await simulate(scheduleFor(config));
  expect(result.violations, report(result).join('\n')).toEqual([]);
  // s3 and s5 (channels 0 and 2) both claimed alpha; one of them renamed.
  const ready = result.trace.filter((e) => e.kind === 'ready' && e.alias === 'alpha').map((e) => e.node);
  expect(ready).toEqual(['s3', 's5']);
  expect(result.trace.some((e) => e.kind === 'renamed' && e.from === 'alpha')).toBe(true);
});

test('seed 6: a user node lost to a delay spike is on a server again once the spike ends', async () => {
  const result = await simulate(scheduleFor({ ...DEFAULT_CONFIG, seed: 6, minutes: 1 }));
  expect(result.violations, report(result).join('\n')).toEqual([]);
  const of = (kind: string) =>
    result.trace.filter((e) => e.kind === kind && e.node === 'u6.1').map((e) => e.t);
  expect(of('lost')).toHaveLength(1);
  expect(of('found')).toHaveLength(1);
  expect(of('found')[0]).toBeGreaterThan(of('lost')[0] as number);
});
