/**
 * Datagrams whose source port is not the address their packet names: a server on the same host
 * may send from another socket than its listener. The Server field is the reply address
 * (Section III: "The first field denotes the sender's reply address").
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer, referenceUser, wire } from './nodes.ts';

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

test('a reference user registers with, and is answered by, a server that answers from a separate socket', async () => {
  const mini = await minimalServer({
    alias: 'mini',
    channels: [uniqueChannel()],
    unicastFromSeparateSocket: true,
  });
  const ru = await referenceUser('ru', mini.self, { timeout: 150, retries: 3 });
  expect(ru.server).toEqual(mini.self);
  const answers = mini.sent.filter((s) => s.to.port === ru.self.port);
  expect(answers.length, 'mini answered ru').toBeGreaterThan(0);
});
