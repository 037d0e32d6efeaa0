/**
 * A neighbour that went silent and comes back is a neighbour again after one round trip, whatever
 * its credit as an unknown source went on meanwhile: a minimal server that gossips only at start
 * (no timer), silent long enough to be dropped, whose credit goes on liveness probes of another
 * server's alias it claims, then DISCOVERs again.
 */
import { expect, test } from 'vitest';
import { serialize } from '../../src/index.ts';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer } from './nodes.ts';

test('a minimal server dropped for its silence is a neighbour again after its DISCOVER and one round trip', async () => {
  const channel = uniqueChannel();
  const reference = server('ref', [channel], { gossipInterval: 100, probeInterval: 50 });
  const other = server('other', [channel], { gossipInterval: 100, probeInterval: 50 });
  await Promise.all([reference.start(), other.start()]);
  const mini = await minimalServer({ alias: 'mini', channels: [channel], timerGossip: false });
  const isNeighbour = () => reference.neighbours.list().some((n) => n.alias === 'mini');
  await until(isNeighbour, 'ref and mini to be neighbours');
  mini.deaf = true;
  await until(() => !isNeighbour(), 'ref to drop the silent mini', 5000);

  // Each claim of other's alias has ref probe other, paid from mini's credit; its -ERR (sent, or
  // withheld once the credit is gone) ends the probe.
  let refused = 0;
  const withheld = reference.counters.withheld;
  const answered = () => refused + reference.counters.withheld - withheld;
  reference.on('packetOut', (packet, to) => {
    if (to.port === mini.self.port && packet.kind === 'ServerReply' && packet.status === '-ERR') refused++;
  });
  const claim = serialize({
    kind: 'ServerCommand',
    sender: mini.self,
    command: { verb: 'DISCOVER', alias: 'other' },
  });
  for (let i = 1; i <= 12; i++) {
    mini.sendRaw(claim, reference.self);
    await until(() => answered() >= i, `ref to answer claim ${i}`);
  }
  mini.deaf = false;
  const found = new Promise<string>((resolve) => reference.on('neighbourFound', (s) => resolve(s.alias)));
  mini.discover();
  expect(await found).toBe('mini');
  expect(mini.neighbours.get('ref')).toEqual(reference.self);
});
