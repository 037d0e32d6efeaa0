/**
 * Datagrams whose source port is not the address their packet names: a server on the same host
 * may send from another socket than its listener. The Server field is the reply address
 * (Section III: "The first field denotes the sender's reply address").
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer, wire } from './nodes.ts';

test('a DISCOVER sent from a separate socket, naming the listener, makes a neighbour', async () => {
  const channel = uniqueChannel();
  const reference = server('ref', [channel]);
  await reference.start();
  const mini = await minimalServer({ alias: 'mini', channels: [channel], discoverFromSeparateSocket: true });
  const named = () => reference.neighbours.list().find((n) => n.alias === 'mini');
  await until(() => named() && mini.neighbours.has('ref'), 'ref and mini to be neighbours', 2000).catch(
    () => undefined,
  );
  // The reference's +OK to the DISCOVER itself, sent to the listener the DISCOVER named.
  const answered = wire(mini).some(
    (text) =>
      text.startsWith(`SERVERREPLY SERVER ref `) &&
      text.includes('+OK SERVER mini') &&
      text.endsWith('DISCOVER mini'),
  );
  expect(answered, `mini received:\n${wire(mini).join('\n')}`).toBe(true);
  expect(named()).toEqual(mini.self);
  expect(mini.neighbours.get('ref')).toEqual(reference.self);
});

test('a collision -ERR sent from the channel socket makes the newcomer rename', async () => {
  const channel = uniqueChannel();
  const mini = await minimalServer({
    alias: 'taken',
    channels: [channel],
    collisionRepliesFromChannelSocket: true,
  });
  const newcomer = server('taken', [channel]);
  const claimed = await newcomer.start();
  const refusals = mini.sent.filter((s) => s.text.startsWith('SERVERREPLY') && s.text.includes('-ERR'));
  expect(refusals.length, 'mini refused the claim').toBeGreaterThan(0);
  expect(claimed.alias, `mini sent: ${refusals.map((r) => r.text).join(' | ')}`).not.toBe('taken');
});
