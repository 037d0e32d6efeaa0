/** Bounded state and per-source rate limits: every limit refuses with a reason and is counted. */
import { afterEach, expect, test } from 'vitest';
import { type Packet, parse } from '../../src/index.ts';
import {
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  MemoryNetwork,
  RequestError,
  type ServerOptions,
} from '../../src/node/index.ts';
import { Directory } from '../../src/node/server/directory.ts';
import { RateLimiter } from '../../src/node/server/limits.ts';
import { SeenSet } from '../../src/node/server/seen-set.ts';
import { encode, PADDED } from '../../src/node/wire.ts';
import { until } from './helpers.ts';

const channel = { ip: '239.7.7.7', port: 8450 };
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

async function serverWith(network: MemoryNetwork, options: Partial<ServerOptions>): Promise<ChatServer> {
  const s = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
    ...options,
  });
  open.push(s);
  await s.start();
  return s;
}

async function userOf(network: MemoryNetwork, alias: string, server: ChatServer): Promise<ChatUser> {
  const u = createUserNode({
    alias,
    server: server.self,
    transport: network.transport(),
    timeout: 100,
    keepAlive: 0,
  });
  open.push(u);
  await u.start();
  return u;
}

async function refusal(request: Promise<unknown>): Promise<string> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestError);
  expect((error as RequestError).code).toBe('REFUSED');
  return (error as RequestError).message;
}

test('each bound on server state refuses with a reason, and counts', async () => {
  const network = new MemoryNetwork();
  const hub = await serverWith(network, {
    limits: { users: 2, aliasesPerUser: 1, rooms: 1, membersPerRoom: 1, messageBytes: 5 },
  });
  const ann = await userOf(network, 'ann', hub);
  const bob = await userOf(network, 'bob', hub);
  await expect(userOf(network, 'cat', hub)).rejects.toThrow(
    'PREFERRED refused: this server is full: at most 2 users',
  );

  await ann.addAlias('annie');
  expect(await refusal(ann.addAlias('anna'))).toBe('ALIAS refused: at most 1 extra aliases per user');
  await ann.createRoom('lobby');
  expect(await refusal(ann.createRoom('den'))).toBe('CREATEROOM refused: this server holds at most 1 rooms');
  expect(await refusal(bob.join('lobby'))).toBe('JOINROOM refused: room lobby is full: at most 1 members');
  await ann.join('lobby'); // a member joining again is not a new member
  await ann.say('hello');
  expect(await refusal(ann.say('hello!'))).toBe('CSEND refused: message is 6 bytes; at most 5');
  expect(await refusal(ann.send('bob', 'héllo'))).toBe('SEND refused: message is 6 bytes; at most 5');
  expect(hub.counters.overLimit).toBe(6);
});

test('requests over 1,400 bytes are read, and one over a bound is refused naming it, in a reply within 1,400 bytes', async () => {
  const network = new MemoryNetwork();
  const hub = await serverWith(network, {});
  const sizes: number[] = [];
  hub.on('packetOut', (packet) => sizes.push(encode(packet).length));
  const ann = await userOf(network, 'ann', hub);
  const bob = await userOf(network, 'bob', hub);
  // 1,000 two-byte characters: a 2,000-byte message in a datagram of about 2,040 bytes.
  expect(await refusal(ann.send('bob', 'é'.repeat(1000)))).toBe(
    'SEND refused: message is 2000 bytes; at most 1000',
  );
  expect(await refusal(ann.say('x'.repeat(60_000)))).toBe(
    'CSEND refused: message is 60000 bytes; at most 1000',
  );
  const name = 'r'.repeat(20_000);
  expect(await refusal(ann.createRoom(name))).toBe(
    `CREATEROOM refused: ${'r'.repeat(16)}... is 20000 characters; a name is at most 32`,
  );
  // At the bound, in a datagram over 1,400 bytes: taken.
  const heard: string[] = [];
  bob.on('message', (m) => heard.push(m.text));
  await ann.send('bob', 'é'.repeat(500));
  await until(() => heard.length === 1, 'bob to get the message', 1000, network.clock);
  expect(heard).toEqual(['é'.repeat(500)]);
  expect(hub.counters.oversize).toBe(0);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(1400);
});

test('a server takes at most `limits.neighbours` neighbours', async () => {
  const network = new MemoryNetwork();
  const hub = await serverWith(network, { limits: { neighbours: 2 } });
  const others = ['a', 'b', 'c', 'd'].map((alias) =>
    createServer({ alias, channels: [channel], probeInterval: 10, transport: network.transport() }),
  );
  open.push(...others);
  await Promise.all(others.map((s) => s.start()));
  await until(
    () => others.every((s) => s.neighbours.size >= 3),
    'the others to meet each other',
    5000,
    network.clock,
  );
  expect(hub.neighbours.size).toBe(2);
  expect(hub.counters.overLimit).toBeGreaterThan(0);
});

test('a source over its budget is dropped and counted, and served again once its bucket refills', async () => {
  const network = new MemoryNetwork();
  const hub = await serverWith(network, { rateLimits: { user: { rate: 10, burst: 5 } } });
  const flood = network.transport();
  await flood.open();
  const replies: Packet[] = [];
  flood.on('datagram', (data) => replies.push(parse(data)));
  const me = flood.address;
  const sender = { kind: 'UserNode' as const, alias: 'flood', ip: me.ip, port: me.port };
  // Registered first (a padded PREFERRED, as user nodes send it), so the server answers it.
  flood.send(
    encode(
      { kind: 'UserCommand', sender, command: { verb: 'PREFERRED', server: hub.self } },
      PADDED.preferred,
    ),
    hub.self,
  );
  await until(
    () => hub.registry.holding('flood') && replies.length === 2,
    'the +OK and KNOWNSERVERS',
    5000,
    network.clock,
  );
  const packet = encode({ kind: 'UserCommand', sender, command: { verb: 'LISTROOMS' } });
  for (let i = 0; i < 20; i++) flood.send(packet, hub.self);
  // The registration took one token: four more fit the burst of five; sixteen are dropped.
  await until(() => hub.counters.rateLimited === 16, 'sixteen drops', 5000, network.clock);
  await until(() => replies.length === 6, 'four answers', 5000, network.clock);
  await network.clock.sleep(250); // 10/s: two or more tokens back
  flood.send(packet, hub.self);
  await until(() => replies.length === 7, 'an answer after the refill', 5000, network.clock);
  await flood.close();
});

test('RateLimiter: neighbours have their own budget, and the table of sources is bounded', () => {
  const limiter = new RateLimiter({
    user: { rate: 1, burst: 2 },
    server: { rate: 1, burst: 4 },
    sent: { rate: 1, burst: 1 },
    sources: 3,
  });
  const at = (port: number) => ({ ip: '127.0.0.1', port });
  const taken = (port: number, isServer: boolean) =>
    Array.from({ length: 6 }, () => limiter.allow(at(port), isServer, 0)).filter(Boolean).length;
  expect(taken(1, false)).toBe(2);
  expect(taken(2, true)).toBe(4);
  expect(limiter.allow(at(1), false, 1000)).toBe(true); // one token per second
  expect(limiter.allow(at(1), false, 1000)).toBe(false);
  for (let port = 10; port < 100; port++) limiter.allow(at(port), false, 2000);
  expect(limiter.size).toBe(3);
});

test('the directory and the FIND seen-set stay within their bounds', () => {
  const directory = new Directory(1000, 2);
  const server = { kind: 'Server' as const, alias: 's', ip: '127.0.0.1', port: 1 };
  const user = (alias: string) => ({ kind: 'UserNode' as const, alias, ip: '127.0.0.1', port: 2 });
  expect(directory.learn(user('a'), server, 0)).toBe(true);
  expect(directory.learn(user('b'), server, 0)).toBe(true);
  expect(directory.learn(user('c'), server, 0)).toBe(false);
  expect(directory.learn(user('a'), server, 10)).toBe(true); // a refresh is not a new entry
  expect(directory.learn(user('c'), server, 2000)).toBe(true); // expired entries make room
  expect(directory.size).toBeLessThanOrEqual(2);

  let full = 0;
  const seen = new SeenSet(1000, 2, () => full++);
  expect([seen.mark('x', 0), seen.mark('y', 0), seen.mark('z', 0), seen.mark('x', 0)]).toEqual([
    true,
    true,
    false,
    false,
  ]);
  expect(full).toBe(1);
  expect(seen.mark('z', 1500)).toBe(true);
  expect(seen.size).toBeLessThanOrEqual(2);
});
