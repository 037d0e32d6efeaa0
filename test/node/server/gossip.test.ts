/** Gossip on its own: lists split to fit datagrams, silence expires neighbours. */
import { expect, test } from 'vitest';
import { serialize } from '../../../src/index.ts';
import { MemoryNetwork } from '../../../src/node/memory.ts';
import { MAX_DATAGRAM, serverAt, userAt } from '../../../src/node/wire.ts';
import { until } from '../helpers.ts';
import { CHANNEL, Peer, serverParts, settle } from './parts.ts';

test('KNOWNUSERS for 300 users is split so that no datagram exceeds MAX_DATAGRAM, and lists them all', async () => {
  const { ctx } = await serverParts(new MemoryNetwork());
  for (let i = 0; i < 300; i++) {
    ctx.registry.add(
      userAt(`user${i}`, { ip: '127.0.0.1', port: 10000 + i }),
      ctx.self,
      true,
      ctx.clock.now(),
    );
  }
  const packets = ctx.gossip.packets();
  const knownUsers = packets.flatMap((p) => (p.command.verb === 'KNOWNUSERS' ? [p.command.users] : []));
  expect(knownUsers.length).toBeGreaterThan(1);
  expect(knownUsers.flat()).toHaveLength(300);
  for (const packet of packets)
    expect(new TextEncoder().encode(serialize(packet)).length).toBeLessThanOrEqual(MAX_DATAGRAM);
});

test('a tick announces on the channel; a neighbour silent for three intervals that does not answer a probe is dropped and users told', async () => {
  const network = new MemoryNetwork();
  const { ctx, events, saves } = await serverParts(network, { gossipInterval: 1000 });
  // Gossip names the server by its alias: it announces once the alias is claimed.
  await ctx.discovery.start();
  await settle(network);
  const listener = await Peer.at(network, 7100, CHANNEL);
  const ann = await Peer.at(network, 5001);
  ctx.registry.add(userAt('ann', ann.address), ctx.self, true, ctx.clock.now());
  const { gossip } = ctx;
  const start = ctx.clock.now();
  const beta = serverAt('beta', { ip: '127.0.0.1', port: 7001 });
  ctx.neighbours.add(beta, start);
  ctx.neighbours.heard(beta, start); // it has gossiped: judged by three of our intervals
  gossip.tick();
  await settle(network);
  expect(listener.texts()).toEqual([
    'SERVER alpha 127.0.0.1 7000 KNOWNUSERS USERNODE ann 127.0.0.1 5001',
    'SERVER alpha 127.0.0.1 7000 KNOWNSERVERS SERVER beta 127.0.0.1 7001',
  ]);
  const probed = await Peer.at(network, 7001);
  await settle(network, 3001 - (ctx.clock.now() - start));
  gossip.tick();
  gossip.tick(); // one probe for one silence
  await until(() => ctx.neighbours.size === 0, 'beta dropped', 5000, network.clock);
  await settle(network);
  expect(probed.texts()).toEqual(['SERVER alpha 127.0.0.1 7000 DISCOVER beta']);
  expect(events.filter((e) => e.event === 'neighbourLost')).toHaveLength(1);
  expect(ann.texts()).toEqual(['SERVER alpha 127.0.0.1 7000 KNOWNSERVERS']);
  expect(saves()).toBe(1);
  gossip.stop();
  ctx.discovery.stop();
});
