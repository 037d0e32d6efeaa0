/** The dispatch policy table: who may send each verb, relaying, repeats, registration. */
import { expect, test } from 'vitest';
import type { Packet, SCommand, UCommand } from '../../../src/ast.ts';
import { serialize } from '../../../src/index.ts';
import { MemoryNetwork } from '../../../src/node/memory.ts';
import { VERBS } from '../../../src/node/server/verbs.ts';
import { PADDED, serverAt, userAt } from '../../../src/node/wire.ts';
import { CHANNEL, Peer, serverParts, settle } from './parts.ts';

const USER_VERBS: UCommand['verb'][] = [
  'FIND', 'PREFERRED', 'CREATEROOM', 'JOINROOM', 'LEAVEROOM', 'ULIST', 'LISTROOMS', 'CSEND',
  'EXIT', 'ALIAS', 'REMOVE', 'SEND', 'LIST', 'SETALIAS',
]; // biome-ignore format: one line per Section IV group reads worse
const SERVER_VERBS: SCommand['verb'][] = [
  'DISCOVER',
  'KNOWNUSERS',
  'KNOWNSERVERS',
  'PREFERRED',
  'JOINCHANNEL',
];

async function dispatcher(network: MemoryNetwork, options: Parameters<typeof serverParts>[1] = {}) {
  const parts = await serverParts(network, { rateLimits: false, ...options });
  const { ctx, dispatcher, transport } = parts;
  transport.on('datagram', (data, from) => dispatcher.receive(data, from));
  // Gossip names the server by its alias: it announces once the alias is claimed.
  await ctx.discovery.start();
  await settle(network);
  return { ...parts, table: VERBS };
}

test('every verb of Section IV has exactly one entry, with its policy beside its handler', async () => {
  const { table } = await dispatcher(new MemoryNetwork());
  expect(Object.keys(table.user).sort()).toEqual([...USER_VERBS].sort());
  expect(Object.keys(table.server).sort()).toEqual([...SERVER_VERBS].sort());
  expect(Object.keys(table.replies).sort()).toEqual(['DISCOVER', 'JOINCHANNEL', 'PREFERRED']);
  // Only FIND and SEND travel between servers; only PREFERRED is taken from an unregistered user.
  const relayed = USER_VERBS.filter((v) => table.user[v].relayed !== undefined).sort();
  expect(relayed).toEqual(['FIND', 'SEND']);
  expect(USER_VERBS.filter((v) => table.user[v].from === 'user')).toEqual(['PREFERRED']);
  const queries = USER_VERBS.filter((v) => table.user[v].repeat === 'query').sort();
  expect(queries).toEqual(['FIND', 'LIST', 'LISTROOMS', 'ULIST']);
});

test('a registered-only verb from an unknown user is refused, and counted', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  const ann = await Peer.at(network, 5001);
  ann.send('USERNODE ann 127.0.0.1 5001 CREATEROOM lobby', ctx.self, PADDED.preferred);
  await settle(network);
  expect(ann.texts()).toEqual([
    'SERVERREPLY SERVER alpha 127.0.0.1 7000 -ERR USERNODE ann 127.0.0.1 5001 CREATEROOM lobby MESSAGE not registered here: send PREFERRED first\0',
  ]);
  expect(ctx.counters.unregistered).toBe(1);
  expect(ctx.rooms.has('lobby')).toBe(false);
});

test('a FIND in a user name from another address is relayed only when a neighbour sent it', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  const beta = await Peer.at(network, 7001);
  const find = 'USERNODE ann 127.0.0.1 5001 FIND zed';
  beta.send(find, ctx.self);
  await settle(network);
  expect(ctx.counters.spoofed).toBe(1);

  ctx.registry.add(userAt('zed', { ip: '127.0.0.1', port: 5009 }), ctx.self, true, ctx.clock.now());
  ctx.neighbours.add(serverAt('beta', beta.address), ctx.clock.now());
  const ann = await Peer.at(network, 5001);
  beta.send(find, ctx.self);
  await settle(network);
  // The relayed FIND is answered straight to the user who asked, not to the relaying server.
  expect(ann.texts()).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${find} SERVER alpha 127.0.0.1 7000 USERNODE zed 127.0.0.1 5009`,
  ]);
  expect(beta.received).toEqual([]);
});

test('a repeated CSEND is answered from the replay cache and delivered once; a repeated query afresh', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  const ann = await Peer.at(network, 5001);
  const bob = await Peer.at(network, 5002);
  for (const [peer, alias] of [
    [ann, 'ann'],
    [bob, 'bob'],
  ] as const) {
    peer.send(
      `USERNODE ${alias} 127.0.0.1 ${peer.address.port} PREFERRED SERVER alpha 127.0.0.1 7000`,
      ctx.self,
      PADDED.preferred,
    );
    await settle(network);
    peer.send(`USERNODE ${alias} 127.0.0.1 ${peer.address.port} JOINROOM lobby`, ctx.self);
    if (alias === 'ann') peer.send('USERNODE ann 127.0.0.1 5001 CREATEROOM lobby', ctx.self);
    await settle(network);
  }
  const before = ann.received.length;
  const csend = 'USERNODE ann 127.0.0.1 5001 CSEND MESSAGE hi\0';
  ann.send(csend, ctx.self);
  ann.send(csend, ctx.self);
  ann.send('USERNODE ann 127.0.0.1 5001 LISTROOMS', ctx.self);
  ann.send('USERNODE ann 127.0.0.1 5001 LISTROOMS', ctx.self);
  await settle(network);
  const deliveries = bob.texts().filter((t) => t.includes('CSEND'));
  expect(deliveries).toHaveLength(1);
  const answers = ann.texts().slice(before);
  expect(answers.filter((t) => t.includes('+OK USERNODE ann 127.0.0.1 5001 CSEND'))).toHaveLength(2);
  expect(answers.filter((t) => t.includes('LISTROOMS'))).toHaveLength(2);
  expect(ctx.counters.repeats).toBe(1);
});

test('a retry of a request whose answer was throttled gets that answer, once the budget allows', async () => {
  const network = new MemoryNetwork();
  // 150 bytes at once toward any address, refilled at 1,000 bytes/s.
  const { ctx } = await dispatcher(network, { rateLimits: { sent: { rate: 1000, burst: 150 } } });
  const ann = await Peer.at(network, 5001);
  ann.send('USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000', ctx.self, PADDED.preferred);
  await settle(network);
  const create = 'USERNODE ann 127.0.0.1 5001 CREATEROOM lobby';
  ann.send(create, ctx.self); // its +OK finds the budget spent by the registration
  await settle(network);
  expect(ann.texts().filter((t) => t.includes('CREATEROOM'))).toEqual([]);
  await settle(network, 300);
  ann.send(create, ctx.self); // the retry: answered from the replay cache, not acted on again
  await settle(network);
  expect(ann.texts().filter((t) => t.includes('CREATEROOM'))).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${create}`,
  ]);
  expect(ctx.counters.throttled).toBeGreaterThan(0);
  expect(ctx.counters.repeats).toBe(1);
});

test('an unpadded PREFERRED gets the neighbours its bytes pay for at once, and the rest when next heard', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  for (let i = 1; i <= 5; i++)
    ctx.neighbours.add(serverAt(`server${i}`, { ip: '127.0.0.1', port: 7000 + i }), ctx.clock.now());
  const ann = await Peer.at(network, 5001);
  const preferred = 'USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000';
  ann.send(preferred, ctx.self);
  await settle(network);
  const [ok] = ann.received;
  expect(ann.received).toHaveLength(1);
  expect(ok?.packet).toMatchObject({ kind: 'ServerReply', status: '+OK' });
  const listed = ok?.packet.kind === 'ServerReply' ? ok.packet.servers.length : 0;
  expect(listed).toBeGreaterThan(0);
  expect(listed).toBeLessThan(5);
  expect(serialize(ok?.packet as Packet).length).toBeLessThanOrEqual(3 * preferred.length);
  expect(ctx.registry.at(ann.address)?.owed).toBe(true);
  // Its next datagram, of any verb, brings the whole list, once.
  ann.send('USERNODE ann 127.0.0.1 5001 LIST', ctx.self);
  ann.send('USERNODE ann 127.0.0.1 5001 LIST', ctx.self);
  await settle(network);
  const knownServers = ann.texts().filter((t) => t.includes(' KNOWNSERVERS '));
  expect(knownServers).toEqual([
    `SERVER alpha 127.0.0.1 7000 KNOWNSERVERS ${[1, 2, 3, 4, 5].map((i) => `SERVER server${i} 127.0.0.1 ${7000 + i}`).join(' ')}`,
  ]);
});

test('an unpadded PREFERRED whose +OK lists the one neighbour gets the KNOWNSERVERS its credit no longer pays for when next heard', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  ctx.neighbours.add(serverAt('beta', { ip: '127.0.0.1', port: 7001 }), ctx.clock.now());
  const ann = await Peer.at(network, 5001);
  ann.send('USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000', ctx.self);
  await settle(network);
  // The +OK lists beta; the KNOWNSERVERS after it did not fit the credit left, so it is owed.
  expect(ann.texts()).toEqual([expect.stringMatching(/ \+OK .* SERVER beta 127\.0\.0\.1 7001$/)]);
  expect(ctx.counters.withheld).toBe(1);
  expect(ctx.registry.at(ann.address)?.owed).toBe(true);
  ann.send('USERNODE ann 127.0.0.1 5001 LIST', ctx.self);
  await settle(network);
  expect(ann.texts().filter((t) => t.includes(' KNOWNSERVERS '))).toEqual([
    'SERVER alpha 127.0.0.1 7000 KNOWNSERVERS SERVER beta 127.0.0.1 7001',
  ]);
});

test('a PREFERRED that changes nothing (a check that the server lives) is answered and tells no one else', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  ctx.neighbours.add(serverAt('beta', { ip: '127.0.0.1', port: 7001 }), ctx.clock.now());
  const ann = await Peer.at(network, 5001);
  const channel = await Peer.at(network, 9000, CHANNEL);
  const preferred = 'USERNODE ann 127.0.0.1 5001 PREFERRED SERVER alpha 127.0.0.1 7000';
  ann.send(preferred, ctx.self, PADDED.preferred);
  await settle(network);
  const first = { user: ann.received.length, channel: channel.received.length };
  expect(first.channel).toBeGreaterThan(0); // a new user is gossiped
  ann.send(preferred, ctx.self);
  ann.send(preferred, ctx.self);
  await settle(network);
  expect(ann.texts().slice(first.user)).toEqual([
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${preferred} SERVER beta 127.0.0.1 7001`,
    `SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK ${preferred} SERVER beta 127.0.0.1 7001`,
  ]);
  expect(channel.received.length).toBe(first.channel);
});

test('a server command from another port of the host it names is answered at the named address; one naming us is not', async () => {
  const network = new MemoryNetwork();
  const { ctx } = await dispatcher(network);
  const sendSocket = await Peer.at(network, 7100);
  const listener = await Peer.at(network, 7200);
  sendSocket.send('SERVER gamma 127.0.0.1 7200 DISCOVER gamma', ctx.self, PADDED.discover);
  await settle(network);
  expect(sendSocket.received).toEqual([]);
  expect(listener.texts()).toContain(
    'SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK SERVER gamma 127.0.0.1 7200 DISCOVER gamma',
  );
  const spoofed = ctx.counters.spoofed;
  sendSocket.send('SERVER alpha 127.0.0.1 7000 KNOWNUSERS USERNODE eve 127.0.0.1 6666', ctx.self);
  sendSocket.send('SERVER delta 10.0.0.4 7000 DISCOVER delta', ctx.self, PADDED.discover);
  await settle(network);
  expect(ctx.counters.spoofed).toBe(spoofed + 2);
});
