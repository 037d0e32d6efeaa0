/**
 * Every user case can fail: for each planted fault, the reference user node carrying it fails
 * exactly the case the fault is aimed at, and every other case of that section still passes.
 */
import { expect, test } from 'vitest';
import { sectionOf } from '../../src/conformance/case.ts';
import { runUserConformance, userCases } from '../../src/conformance/index.ts';
import { pool } from './pool.ts';
import { faultyUser, PATIENCE_MS } from './user-command.ts';
import { userFaults } from './user-faults.ts';

test('each planted user fault fails exactly its case, and every case is caught', {
  timeout: 120_000,
}, async () => {
  const faults = userFaults();
  // Three faults at a time, two cases each: six node processes at once.
  const runs = await pool(faults, 3, async (fault) => {
    const report = await runUserConformance({
      command: faultyUser(fault.catches),
      patience: PATIENCE_MS,
      strict: true,
      filters: [sectionOf(fault.catches)],
      concurrency: 2,
    });
    const failed = report.results.filter((r) => r.outcome === 'Fail');
    return {
      fault: fault.name,
      catches: fault.catches,
      failed: failed.map((r) => r.id),
      why: failed.map((r) => r.observed.join('; ')),
    };
  });
  const wrong = runs.filter((r) => r.failed.length !== 1 || r.failed[0] !== r.catches);
  expect(wrong).toEqual([]);
  const caught = new Set(runs.map((r) => r.catches));
  expect(
    userCases()
      .filter((c) => c.level !== 'INFO' && !caught.has(c.id))
      .map((c) => c.id),
  ).toEqual([]);
});
