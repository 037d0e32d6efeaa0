/**
 * The simulator in CI: a fixed set of short seeded runs of real servers and user nodes under
 * faults, every invariant judged from the history; and one seed run twice gives one digest.
 */
import { expect, test } from 'vitest';
import { CI_RUNS, ciConfig } from '../../sim/ci-seeds.ts';
import { report } from '../../sim/report.ts';
import { scheduleFor, simulate } from '../../sim/run.ts';

test('one seed run twice gives the same history, event for event', async () => {
  const config = ciConfig(0);
  const first = await simulate(scheduleFor(config));
  const second = await simulate(scheduleFor(config));
  expect(first.events).toBeGreaterThan(1000);
  expect(second.digest).toBe(first.digest);
  expect(second.events).toBe(first.events);
  expect(second.trace.map((e) => `${e.t} ${e.node} ${e.kind}`)).toEqual(
    first.trace.map((e) => `${e.t} ${e.node} ${e.kind}`),
  );
});

test('another seed gives another history', async () => {
  const [a, b] = [await simulate(scheduleFor(ciConfig(6))), await simulate(scheduleFor(ciConfig(12)))];
  expect(a.digest).not.toBe(b.digest);
});

test(`${CI_RUNS} seeded runs under faults break no invariant`, { timeout: 240_000 }, async () => {
  const failing: string[] = [];
  let judged = 0;
  for (let i = 0; i < CI_RUNS; i++) {
    const result = await simulate(scheduleFor(ciConfig(i)));
    judged += result.trace.filter((e) => e.kind === 'ok').length;
    if (result.violations.length > 0) failing.push(report(result).join('\n'));
  }
  expect(judged).toBeGreaterThan(CI_RUNS * 100);
  expect(failing).toEqual([]);
});
