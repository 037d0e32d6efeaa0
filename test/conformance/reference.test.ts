/**
 * The kit against the reference: every MUST and Non-Strict case passes, strictly, for the
 * reference server (in this process) and the reference user node (the CLI, as a child process).
 */
import { expect, test } from 'vitest';
import {
  runServerConformance,
  runUserConformance,
  serverCases,
  userCases,
} from '../../src/conformance/index.ts';
import { GOSSIP_MS, referenceServer } from './reference-server.ts';
import { PATIENCE_MS, REFERENCE_USER } from './user-command.ts';

const troubles = (results: { id: string; outcome: string; observed: string[] }[]) =>
  results
    .filter((r) => r.outcome !== 'Pass' && r.outcome !== 'Info')
    .map((r) => `${r.id} ${r.outcome}: ${r.observed.join('; ')}`);

test('the reference server passes every server case', { timeout: 60_000 }, async () => {
  const reference = await referenceServer('reference');
  try {
    const report = await runServerConformance({
      target: reference.target,
      channel: reference.channel,
      gossipInterval: GOSSIP_MS,
      strict: true,
    });
    expect(report.results.map((r) => r.id)).toEqual(serverCases().map((c) => c.id));
    expect(troubles(report.results)).toEqual([]);
  } finally {
    await reference.close();
  }
});

test('the reference user node passes every user case', { timeout: 60_000 }, async () => {
  const report = await runUserConformance({ command: REFERENCE_USER, patience: PATIENCE_MS, strict: true });
  expect(report.results.map((r) => r.id)).toEqual(userCases().map((c) => c.id));
  expect(troubles(report.results)).toEqual([]);
});
