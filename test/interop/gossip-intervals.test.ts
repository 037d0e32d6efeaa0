/**
 * The wire does not say how often a server gossips, so a server gossiping four times less often
 * than the reference servers around it must still be kept as their neighbour while it lives.
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer } from './nodes.ts';

test('a minimal server gossiping every 1 s among reference servers at 250 ms stays a neighbour, without flapping', async () => {
  const channel = uniqueChannel();
  const refs = [
    server('ref1', [channel], { gossipInterval: 250 }),
    server('ref2', [channel], { gossipInterval: 250 }),
  ];
  await Promise.all(refs.map((r) => r.start()));
  const events: string[] = [];
  for (const r of refs) {
    r.on('neighbourLost', (s) => events.push(`${r.alias} lost ${s.alias}`));
    r.on('neighbourFound', (s) => events.push(`${r.alias} found ${s.alias}`));
  }
  const mini = await minimalServer({
    alias: 'mini',
    channels: [channel],
    gossipInterval: 1000,
    lifetime: 15_000,
  });
  const hasMini = () => refs.every((r) => r.neighbours.list().some((n) => n.alias === 'mini'));
  await until(hasMini, 'both reference servers to neighbour mini', 3000);
  // Four of mini's rounds, each gap four of the references' intervals: room to drop it three times over.
  const rounds = refs.map((r) => {
    const heard = { count: 0 };
    r.on('packetIn', (packet, from) => {
      if (
        from.port === mini.self.port &&
        packet.kind === 'ServerCommand' &&
        packet.command.verb === 'KNOWNUSERS'
      )
        heard.count++;
    });
    return heard;
  });
  await until(() => rounds.every((heard) => heard.count >= 4), 'four rounds of mini’s gossip', 10_000);
  // Each reference server found mini once (as it joined) and never lost it.
  expect(events.filter((e) => e.endsWith(' mini')).sort()).toEqual(['ref1 found mini', 'ref2 found mini']);
  expect(hasMini()).toBe(true);
}, 20_000);
