/** Discovery on its own: probing an alias, renaming on a refusal, answering a claimant. */
import { expect, test } from 'vitest';
import { MemoryNetwork } from '../../../src/node/memory.ts';
import type { DiscoverPacket, DiscoverReply } from '../../../src/node/server/discovery.ts';
import { reply, serverAt } from '../../../src/node/wire.ts';
import { until } from '../helpers.ts';
import { CHANNEL, Peer, serverParts, settle } from './parts.ts';

async function discovery(network: MemoryNetwork) {
  const parts = await serverParts(network, { probes: 3, probeInterval: 20 });
  /** The aliases the mechanism renamed the server to, in order. */
  const renamed = () => parts.events.flatMap((e) => (e.event === 'aliasChanged' ? [e.args[1]] : []));
  return { ...parts, mechanism: parts.ctx.discovery, renamed };
}

test('an alias nobody refuses is claimed after `probes` DISCOVERs on the channel', async () => {
  const network = new MemoryNetwork();
  const { mechanism, events } = await discovery(network);
  const listener = await Peer.at(network, 7100, CHANNEL);
  await mechanism.start();
  expect(mechanism.claimed).toBe(true);
  expect(listener.texts()).toEqual(Array(3).fill('SERVER alpha 127.0.0.1 7000 DISCOVER alpha'));
  expect(events.map((e) => e.event)).toContain('ready');
  mechanism.stop();
});

test('a -ERR to a probe renames the server and probes the new alias', async () => {
  const network = new MemoryNetwork();
  const { ctx, mechanism, renamed, transport } = await discovery(network);
  const holder = await Peer.at(network, 7100, CHANNEL);
  const claimed = mechanism.start();
  const probe = await until(() => holder.received[0], 'the first probe', 5000, network.clock);
  if (probe.packet.kind !== 'ServerCommand') throw new Error('the probe is not a server command');
  const refusal = reply(serverAt('alpha', holder.address), '-ERR', probe.packet);
  // Handed to the mechanism as the dispatch does for a reply to our own DISCOVER.
  if (refusal.command.kind !== 'ServerCommand' || refusal.command.command.verb !== 'DISCOVER')
    throw new Error();
  mechanism.onReply({ ...refusal, command: { ...refusal.command, command: refusal.command.command } });
  await claimed;
  expect(renamed()).toEqual(['alpha2']);
  expect(ctx.self.alias).toBe('alpha2');
  mechanism.stop();
  await transport.close();
});

test('a DISCOVER for a free alias is answered +OK; the claimant becomes a neighbour only by answering ours', async () => {
  const network = new MemoryNetwork();
  const { ctx, mechanism } = await discovery(network);
  await mechanism.start();
  const beta = await Peer.at(network, 7001);
  const claim: DiscoverPacket = {
    kind: 'ServerCommand',
    sender: serverAt('beta', beta.address),
    command: { verb: 'DISCOVER', alias: 'beta' },
  };
  mechanism.onDiscover(claim, ctx.outbox.inbound(beta.address, 256));
  await settle(network);
  expect(beta.texts()).toEqual([
    'SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK SERVER beta 127.0.0.1 7001 DISCOVER beta',
    'SERVER alpha 127.0.0.1 7000 DISCOVER alpha',
  ]);
  expect(ctx.neighbours.size).toBe(0);
  const greeting = beta.received[1]?.packet;
  if (greeting?.kind !== 'ServerCommand') throw new Error('no greeting arrived');
  mechanism.onReply(reply(serverAt('beta', beta.address), '+OK', greeting) as DiscoverReply);
  expect(ctx.neighbours.list().map((s) => s.alias)).toEqual(['beta']);
  expect(ctx.knownServers.holder('beta', ctx.clock.now())?.server.port).toBe(7001);
  mechanism.stop();
});
