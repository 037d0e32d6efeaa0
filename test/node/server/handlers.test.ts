/** Handlers on their own: each gets the context, the packet and the datagram it answers. */
import { expect, test } from 'vitest';
import type { UCommand } from '../../../src/ast.ts';
import { parse } from '../../../src/index.ts';
import { MemoryNetwork } from '../../../src/node/memory.ts';
import { setAlias } from '../../../src/node/server/handlers/aliases.ts';
import { relayedSend, send } from '../../../src/node/server/handlers/messaging.ts';
import { userPreferred } from '../../../src/node/server/handlers/preferred.ts';
import { createRoom } from '../../../src/node/server/handlers/rooms.ts';
import type {
  HandlerContext,
  RegisteredInbound,
  UserPacket,
} from '../../../src/node/server/handlers/types.ts';
import type { Registration } from '../../../src/node/server/registry.ts';
import { serverAt, userAt } from '../../../src/node/wire.ts';
import { Peer, serverParts, settle } from './parts.ts';

function packet<V extends UCommand['verb']>(text: string): UserPacket<V> {
  return parse(text) as UserPacket<V>;
}

async function setup() {
  const network = new MemoryNetwork();
  const parts = await serverParts(network);
  const ann = await Peer.at(network, 5001);
  return { ...parts, ann, gossip: parts.ctx.gossip, network };
}

/** The datagram a registered user's command came in, with its registration, as the dispatch passes it. */
function from(ctx: HandlerContext, registration: Registration, bytes: number): RegisteredInbound {
  return { ...ctx.outbox.inbound(registration.user, bytes), registration };
}

test('PREFERRED registers a paying user, answers with the neighbours and sends them as KNOWNSERVERS', async () => {
  const { ctx, ann, events, network } = await setup();
  ctx.neighbours.add(serverAt('beta', { ip: '127.0.0.1', port: 7001 }), ctx.clock.now());
  const text = 'USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000';
  userPreferred(ctx, packet<'PREFERRED'>(text), ctx.outbox.inbound(ann.address, 1200));
  await settle(network);
  expect(ann.texts()).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${text} SERVER beta 127.0.0.1 7001`,
    'SERVER alpha 127.0.0.1 7000 KNOWNSERVERS SERVER beta 127.0.0.1 7001',
  ]);
  expect(ctx.registry.at(ann.address)?.home).toBe(true);
  expect(events.map((e) => e.event)).toEqual(['userAttached']);
});

test('PREFERRED from a stranger whose bytes do not pay for its answer (3x) registers nobody', async () => {
  const { ctx, ann, network } = await setup();
  const text = 'USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000';
  userPreferred(ctx, packet<'PREFERRED'>(text), ctx.outbox.inbound(ann.address, 20)); // 60 bytes of credit
  await settle(network);
  expect(ann.received).toEqual([]);
  expect(ctx.registry.size).toBe(0);
  expect(ctx.counters.withheld).toBe(1);
});

test('CREATEROOM makes the room current; a second CREATEROOM of it is refused', async () => {
  const { ctx, ann, network } = await setup();
  const registration = ctx.registry.add(userAt('ann', ann.address), ctx.self, true, ctx.clock.now());
  const text = 'USERNODE ann 127.0.0.1 5001 CREATEROOM lobby';
  createRoom(ctx, packet<'CREATEROOM'>(text), from(ctx, registration, text.length));
  createRoom(ctx, packet<'CREATEROOM'>(text), from(ctx, registration, text.length));
  await settle(network);
  expect(ann.texts()).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${text}`,
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 -ERR ${text} MESSAGE room lobby exists\0`,
  ]);
  expect(registration.currentRoom).toBe('lobby');
});

test('SETALIAS to an alias another user holds is refused; to a free one renames and gossips', async () => {
  const { ctx, ann, gossip, network } = await setup();
  const registration = ctx.registry.add(userAt('ann', ann.address), ctx.self, true, ctx.clock.now());
  ctx.registry.add(userAt('bob', { ip: '127.0.0.1', port: 5002 }), ctx.self, true, ctx.clock.now());
  const taken = 'USERNODE ann 127.0.0.1 5001 SETALIAS USERNODE bob 127.0.0.1 5001';
  const free = 'USERNODE ann 127.0.0.1 5001 SETALIAS USERNODE anna 127.0.0.1 5001';
  setAlias(ctx, packet<'SETALIAS'>(taken), from(ctx, registration, 100));
  setAlias(ctx, packet<'SETALIAS'>(free), from(ctx, registration, 100));
  await settle(network);
  expect(ann.texts()).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 -ERR ${taken} MESSAGE alias bob is taken\0`,
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${free}`,
  ]);
  expect(ctx.registry.holding('anna')).toBe(registration);
  gossip.stop();
});

test('SEND to an alias nobody here knows: -ERR alone, else passed on to the neighbours once, and not confirmed while they are silent', async () => {
  const { ctx, ann, network } = await setup();
  const registration = ctx.registry.add(userAt('ann', ann.address), ctx.self, true, ctx.clock.now());
  const text = 'USERNODE ann 127.0.0.1 5001 SEND rann MESSAGE hi\0';
  send(ctx, packet<'SEND'>(text), from(ctx, registration, text.length));
  const beta = await Peer.at(network, 7001);
  ctx.neighbours.add(serverAt('beta', beta.address), ctx.clock.now());
  send(ctx, packet<'SEND'>(text), from(ctx, registration, text.length));
  // The flood coming back through a cycle is not passed on again.
  relayedSend(ctx, packet<'SEND'>(text), ctx.outbox.inbound(beta.address, text.length));
  await settle(network, ctx.options.probeInterval + 10);
  expect(ann.texts()).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 -ERR ${text} MESSAGE nobody has rann: not known here, and no neighbour server to ask\0`,
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${text} MESSAGE not confirmed: no answer from beta\0`,
  ]);
  // beta is told the copy it passed back was passed on here already.
  expect(beta.texts()).toEqual([
    text,
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 -ERR ${text} MESSAGE already passed on here\0`,
  ]);
});

test('a relayed SEND that reaches its recipient by several paths is delivered once', async () => {
  const { ctx, ann, network } = await setup();
  ctx.registry.add(userAt('ann', ann.address), ctx.self, true, ctx.clock.now());
  const beta = await Peer.at(network, 7001);
  const gamma = await Peer.at(network, 7002);
  ctx.neighbours.add(serverAt('beta', beta.address), ctx.clock.now());
  ctx.neighbours.add(serverAt('gamma', gamma.address), ctx.clock.now());
  const text = 'USERNODE bob 127.0.0.1 5002 SEND ann MESSAGE hi\0';
  relayedSend(ctx, packet<'SEND'>(text), ctx.outbox.inbound(beta.address, text.length));
  relayedSend(ctx, packet<'SEND'>(text), ctx.outbox.inbound(beta.address, text.length));
  relayedSend(ctx, packet<'SEND'>(text), ctx.outbox.inbound(gamma.address, text.length));
  await settle(network);
  expect(ann.texts()).toEqual([`SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${text}`]);
});
