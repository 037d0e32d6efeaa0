/**
 * Levels decide outcomes: a failed Non-Strict case is `Non-Strict` (the run passes) unless the run
 * is strict, a case that needs the channel is `Missing` without one, and the reports say so.
 */
import { expect, test } from 'vitest';
import { junitReport, runPassed, runServerConformance } from '../../src/conformance/index.ts';
import { faultyTransport } from './fault-transport.ts';
import { GOSSIP_MS, referenceServer } from './reference-server.ts';
import { serverFaults } from './server-faults.ts';

test('a failed Non-Strict case fails the run only when strict', { timeout: 30_000 }, async () => {
  const fault = serverFaults().find((f) => f.catches === 'IV/list');
  if (!fault) throw new Error('no fault for IV/list');
  const reference = await referenceServer('levels', { transport: faultyTransport(fault), probes: 1 });
  try {
    const options = {
      target: reference.target,
      gossipInterval: GOSSIP_MS,
      filters: ['IV/list', 'I.i/find-registered'],
    };
    const lenient = await runServerConformance(options);
    expect(lenient.results.map((r) => [r.id, r.outcome])).toEqual([
      ['I.i/find-registered', 'Pass'],
      ['IV/list', 'Non-Strict'],
    ]);
    expect(runPassed(lenient)).toBe(true);
    expect(junitReport(lenient)).not.toContain('<failure');
    expect(junitReport(lenient)).toContain('<system-out>Non-Strict: ');
    const strict = await runServerConformance({ ...options, strict: true });
    expect(strict.results.find((r) => r.id === 'IV/list')?.outcome).toBe('Fail');
    expect(runPassed(strict)).toBe(false);
    expect(junitReport(strict)).toContain('<failure message=');
  } finally {
    await reference.close();
  }
});

test('a case that needs the channel is Missing without --channel', { timeout: 30_000 }, async () => {
  const reference = await referenceServer('missing', { probes: 1 });
  try {
    const report = await runServerConformance({ target: reference.target, filters: ['I.ii/knownusers'] });
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([['I.ii/knownusers', 'Missing']]);
    expect(runPassed(report)).toBe(true);
    expect(junitReport(report)).toContain('<skipped message="not run: needs --channel"/>');
  } finally {
    await reference.close();
  }
});
