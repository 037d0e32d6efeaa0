/**
 * The kit against a reference server that has a real neighbour, run after run: every case
 * passes each time with the same outcomes, and the server is left as the kit found it, as far as
 * the protocol allows (no kit user registered, at most the kit's one channel more, and the kit
 * servers dropped once they fall silent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { htmlReport, runServerConformance } from '../../src/conformance/index.ts';
import { kitChannelOf } from '../../src/conformance/server-context.ts';
import { loadState } from '../../src/node/server/state.ts';
import { until } from '../node/helpers.ts';
import { GOSSIP_MS, referenceServer } from './reference-server.ts';

const troubles = (results: { id: string; outcome: string; observed: string[] }[]) =>
  results
    .filter((r) => r.outcome !== 'Pass' && r.outcome !== 'Info')
    .map((r) => `${r.id} ${r.outcome}: ${r.observed.join('; ')}`);

test('with a real neighbour, repeated runs all pass, alike, and leave the server as they found it', {
  timeout: 90_000,
}, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'chat-proto-kit-'));
  const state = join(folder, 'alpha.state.json');
  const alpha = await referenceServer('alpha', { state });
  const neighbour = await referenceServer('realneighbour', { channels: [alpha.channel] });
  try {
    await until(
      () => alpha.server.neighbours.list().some((s) => s.alias === 'realneighbour'),
      'alpha and realneighbour are neighbours',
    );
    // With only its real neighbour, and no other case's churn telling users of new neighbours.
    const alone = await runServerConformance({
      target: alpha.target,
      gossipInterval: GOSSIP_MS,
      strict: true,
      filters: ['II.iv/knownservers-to-user'],
    });
    expect(troubles(alone.results)).toEqual([]);
    const before = [...alpha.server.channels];
    const outcomes: string[][] = [];
    const channelsAfter: unknown[] = [];
    const reportBytes: number[] = [];
    for (let run = 0; run < 2; run++) {
      const report = await runServerConformance({
        target: alpha.target,
        channel: alpha.channel,
        gossipInterval: GOSSIP_MS,
        strict: true,
      });
      expect(troubles(report.results)).toEqual([]);
      outcomes.push(report.results.map((r) => `${r.id} ${r.outcome}`));
      reportBytes.push(htmlReport(report).length);
      // Every kit user said EXIT before the run ended.
      expect([...alpha.server.registry.all()].map((r) => r.user.alias)).toEqual([]);
      channelsAfter.push([...alpha.server.channels]);
      // Kit servers fall silent when their case ends; the server drops them (3 gossip intervals
      // and a probe), and keeps its real neighbour.
      await until(
        () => alpha.server.neighbours.list().every((s) => s.alias === 'realneighbour') || undefined,
        `only realneighbour left as a neighbour: ${JSON.stringify(alpha.server.neighbours.list())}`,
        10 * GOSSIP_MS,
      );
      expect(alpha.server.neighbours.list().map((s) => s.alias)).toEqual(['realneighbour']);
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    // The JOINCHANNEL cases reuse one channel: the first run adds it, the second nothing.
    expect(channelsAfter).toEqual([
      [...before, kitChannelOf(alpha.target)],
      [...before, kitChannelOf(alpha.target)],
    ]);
    // Its state file names what it is left with: the real neighbour, and the kit's one channel.
    await alpha.server.stateWritten();
    expect(await loadState(state)).toMatchObject({
      neighbours: [expect.objectContaining({ alias: 'realneighbour' })],
      channels: [...before, kitChannelOf(alpha.target)],
    });
    // The HTML report of a run does not grow with the runs before it.
    expect(reportBytes[1]).toBeLessThan(1.25 * (reportBytes[0] as number));
  } finally {
    await Promise.all([alpha.close(), neighbour.close()]);
    rmSync(folder, { recursive: true, force: true });
  }
});
