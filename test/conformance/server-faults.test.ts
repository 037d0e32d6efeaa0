/**
 * Every server case can fail: for each planted fault, a reference server that carries it fails
 * exactly the case the fault is aimed at, and every other case of that section still passes.
 */
import { expect, test } from 'vitest';
import { sectionOf } from '../../src/conformance/case.ts';
import { runServerConformance, serverCases } from '../../src/conformance/index.ts';
import { faultyTransport } from './fault-transport.ts';
import { pool } from './pool.ts';
import { GOSSIP_MS, referenceServer } from './reference-server.ts';
import { serverFaults } from './server-faults.ts';

test('each planted fault fails exactly its case, and every case but Info ones is caught', {
  timeout: 120_000,
}, async () => {
  const faults = serverFaults();
  const runs = await pool(faults, 8, async (fault, index) => {
    // One probe: a fresh channel has no rival for the alias, and the claim is quicker.
    const reference = await referenceServer(`faulty${index}`, {
      transport: faultyTransport(fault),
      probes: 1,
    });
    try {
      const report = await runServerConformance({
        target: reference.target,
        channel: reference.channel,
        gossipInterval: GOSSIP_MS,
        strict: true,
        filters: [sectionOf(fault.catches)],
      });
      const failed = report.results.filter((r) => r.outcome === 'Fail');
      return {
        fault: fault.name,
        catches: fault.catches,
        failed: failed.map((r) => r.id),
        why: failed.map((r) => `${r.id}: ${r.observed.at(-1)}`),
      };
    } finally {
      await reference.close();
    }
  });
  const wrong = runs.filter((r) => r.failed.length !== 1 || r.failed[0] !== r.catches);
  expect(wrong).toEqual([]);
  const caught = new Set(runs.map((r) => r.catches));
  const uncaught = serverCases()
    .filter((c) => c.level !== 'INFO' && !caught.has(c.id))
    .map((c) => c.id);
  expect(uncaught).toEqual([]);
});
