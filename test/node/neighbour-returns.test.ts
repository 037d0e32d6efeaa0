/**
 * A neighbour dropped for its silence that comes back is a neighbour again after one round trip,
 * whatever its credit as an unknown source (credit.ts) went on meanwhile: here on liveness probes
 * of another server's alias it claimed, so its return has only its own DISCOVER's credit, which
 * pays for the +OK but not for a padded greeting.
 */
import { expect, test } from 'vitest';
import { serialize } from '../../src/index.ts';
import { createServer, MemoryNetwork } from '../../src/node/index.ts';
import { PADDED, reply, serverAt } from '../../src/node/wire.ts';
import { until } from './helpers.ts';
import { CHANNEL, Peer } from './server/parts.ts';

test('a neighbour dropped for its silence is greeted on its return, however little credit it has', async () => {
  const network = new MemoryNetwork();
  const ref = createServer({
    alias: 'ref',
    channels: [CHANNEL],
    gossipInterval: 100,
    probeInterval: 20,
    transport: network.transport(),
  });
  const other = createServer({
    alias: 'other',
    channels: [CHANNEL],
    gossipInterval: 100,
    probeInterval: 20,
    transport: network.transport(),
  });
  try {
    await Promise.all([ref.start(), other.start()]);
    const peer = await Peer.at(network, 7100, CHANNEL);
    const mini = serverAt('mini', peer.address);
    const discover = {
      kind: 'ServerCommand',
      sender: mini,
      command: { verb: 'DISCOVER', alias: 'mini' },
    } as const;
    const state = { answering: true };
    // The greeting is ref's DISCOVER of its own alias, unicast to mini: answered +OK while mini answers.
    peer.transport.on('datagram', () => {
      const packet = peer.received.at(-1)?.packet;
      const greeting =
        packet?.kind === 'ServerCommand' &&
        packet.command.verb === 'DISCOVER' &&
        packet.command.alias === 'ref';
      if (state.answering && greeting) peer.send(reply(mini, '+OK', packet), packet.sender);
    });
    const isNeighbour = () => ref.neighbours.list().some((n) => n.alias === 'mini');
    // First claim: padded to pay for the +OK and the padded greeting, and no more.
    const answer = serialize(reply(ref.self, '+OK', discover)).length;
    peer.send(discover, CHANNEL, Math.ceil((answer + PADDED.greeting) / 3));
    await until(isNeighbour, 'mini to become a neighbour', 1000, network.clock);

    state.answering = false;
    await until(() => !isNeighbour(), 'ref to drop the silent mini', 10_000, network.clock);
    // Its credit goes on probes: each claim of a live server's alias has ref ask that server.
    const claim = { ...discover, command: { verb: 'DISCOVER', alias: 'other' } } as const;
    for (let i = 0; i < 5; i++) {
      peer.send(claim, ref.self);
      await network.clock.sleep(50);
    }
    state.answering = true;
    peer.send(discover, CHANNEL); // back, with one unpadded DISCOVER
    await until(isNeighbour, 'mini to be a neighbour again', 1000, network.clock);
    expect(ref.neighbours.list()).toContainEqual(mini);
  } finally {
    await Promise.all([ref.close(), other.close()]);
  }
});
