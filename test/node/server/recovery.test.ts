/** Recovery on its own: ask the old neighbours, call home the users they list. */
import { expect, test } from 'vitest';
import { MemoryNetwork } from '../../../src/node/memory.ts';
import type { PreferredReply } from '../../../src/node/server/recovery.ts';
import { reply, serverAt, userAt } from '../../../src/node/wire.ts';
import { Peer, serverParts, settle } from './parts.ts';

test('each old neighbour is asked with PREFERRED, and every user it lists is called home', async () => {
  const network = new MemoryNetwork();
  const { ctx, events } = await serverParts(network);
  const beta = await Peer.at(network, 7001);
  const ann = await Peer.at(network, 5001);
  const { recovery } = ctx;
  recovery.start([serverAt('beta', beta.address), ctx.self]);
  await settle(network);
  const ask = 'SERVER alpha 127.0.0.1 7000 PREFERRED SERVER alpha 127.0.0.1 7000';
  expect(beta.texts()).toEqual([ask]);
  const question = beta.received[0]?.packet;
  if (question?.kind !== 'ServerCommand') throw new Error('no PREFERRED arrived');
  const answer = reply(serverAt('beta', beta.address), '+OK', question, {
    users: [userAt('ann', ann.address)],
  });
  recovery.onReply(answer as PreferredReply, ctx.outbox.inbound(beta.address, 1200));
  await settle(network);
  expect(ann.texts()).toEqual([ask]);
  expect(
    events.filter((e) => e.event === 'userCalledHome').map((e) => (e.args[0] as { alias: string }).alias),
  ).toEqual(['ann']);
  // Answered: not asked again.
  await settle(network, 60);
  expect(beta.texts()).toEqual([ask]);
  recovery.stop();
});

test('an old neighbour that does not answer is asked again, a bounded number of times', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await serverParts(network, { probeInterval: 5 });
  const gone = await Peer.at(network, 7001);
  const { recovery } = ctx;
  recovery.start([serverAt('beta', gone.address)]);
  await settle(network, 5 * (1 + 2 + 4 + 8 + 16 + 32) + 100);
  expect(gone.received).toHaveLength(6);
  recovery.stop();
});

test('how many times an old neighbour is asked is limits.recoveryTries', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await serverParts(network, { probeInterval: 5, limits: { recoveryTries: 2 } });
  const gone = await Peer.at(network, 7001);
  ctx.recovery.start([serverAt('beta', gone.address)]);
  await settle(network, 5 * (1 + 2 + 4 + 8 + 16 + 32) + 100);
  expect(gone.received).toHaveLength(2);
  ctx.recovery.stop();
});
