/**
 * A flood from 100,000 distinct (spoofed) source addresses leaves the server's memory within a
 * stated bound: every table a datagram can grow is bounded (docs/protocol.md, Timers and limits).
 * The in-memory network lets one test speak from any address.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import type { Packet, Server, UserCommand, UserNode } from '../../src/index.ts';
import { parse } from '../../src/index.ts';
import { createServer, MemoryNetwork, type Transport } from '../../src/node/index.ts';
import { encode, PADDED, reply } from '../../src/node/wire.ts';
import { until } from './helpers.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The bound this test holds: heap growth after GC, in MiB. */
const BOUND_MIB = 64;

test(`100,000 datagrams from distinct sources grow the heap by less than ${BOUND_MIB} MiB`, async () => {
  const network = new MemoryNetwork();
  const channel = { ip: '239.8.8.8', port: 8450 };
  const hub = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
  });
  await hub.start();
  const before = heapAfterGc();

  const total = 100_000;
  for (let i = 0; i < total; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 1000 + (i % 50_000);
    const user = { kind: 'UserNode' as const, alias: `u${i}`, ip, port };
    const kinds: Packet[] = [
      { kind: 'UserCommand', sender: user, command: { verb: 'PREFERRED', server: hub.self } },
      { kind: 'UserCommand', sender: user, command: { verb: 'EXIT' } },
      { kind: 'UserCommand', sender: user, command: { verb: 'FIND', alias: `x${i}` } },
      {
        kind: 'ServerCommand',
        sender: { kind: 'Server', alias: `s${i}`, ip, port },
        command: { verb: 'KNOWNUSERS', users: [user, { ...user, alias: `v${i}` }] },
      },
    ];
    const source = network.transport({ host: ip, port });
    await source.open();
    const packet = kinds[i % kinds.length] as Packet;
    // PREFERREDs padded, as a forger must pay for registering its victims (credit.ts).
    source.send(encode(packet, i % kinds.length === 0 ? PADDED.preferred : 0), hub.self);
    await source.close();
    if (i % 5000 === 4999) await network.clock.sleep(0); // let deliveries run
  }
  await network.clock.sleep(50);
  expect(hub.counters.received).toBeGreaterThanOrEqual(total);

  const grown = (heapAfterGc() - before) / 2 ** 20;
  console.log(
    `memory: ${total} datagrams from distinct sources grew the heap by ${grown.toFixed(1)} MiB ` +
      `(users ${hub.registry.size}, directory ${hub.directory.size}, bound ${BOUND_MIB} MiB)`,
  );
  expect(hub.registry.size).toBe(hub.limits.users); // the flood filled the user table to its bound
  expect(hub.directory.size).toBeLessThanOrEqual(hub.limits.directory);
  expect(grown).toBeLessThan(BOUND_MIB);
  await hub.close();
}, 60_000);

/**
 * The worst flood found: every table a datagram can grow filled to its bound, each entry as large
 * as the limits allow (names of `nameLength`, messages of `messageBytes`). Rate limits are off so
 * the test need not wait for them: they slow a flood, they do not bound what it leaves behind.
 */
test(`every table full of the largest entries the limits allow stays under ${BOUND_MIB} MiB`, async () => {
  const network = new MemoryNetwork();
  const channel = { ip: '239.8.8.9', port: 8450 };
  const hub = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    rateLimits: false,
    transport: network.transport({ port: 7000 }),
  });
  await hub.start();
  const limits = hub.limits;
  const long = (prefix: string, i: number) => `${prefix}${i}`.padEnd(limits.nameLength, 'x');
  const before = heapAfterGc();
  const drain = () => network.clock.sleep(5);

  // Neighbours, each made by the round trip: its DISCOVER, then its +OK to the greeting.
  const neighbours: Transport[] = [];
  for (let n = 0; n < limits.neighbours; n++) {
    const at = network.transport({ host: `10.1.${n}.1`, port: 7000 });
    await at.open();
    const self: Server = { kind: 'Server', alias: long('n', n), ip: `10.1.${n}.1`, port: 7000 };
    at.on('datagram', (data) => {
      const packet = parse(data);
      if (packet.kind === 'ServerCommand' && packet.command.verb === 'DISCOVER')
        at.send(encode(reply(self, '+OK', packet)), hub.self);
    });
    at.send(
      encode({ kind: 'ServerCommand', sender: self, command: { verb: 'DISCOVER', alias: self.alias } }, 256),
      hub.self,
    );
    neighbours.push(at);
  }
  await until(() => hub.neighbours.size === limits.neighbours, 'every neighbour', 10_000, network.clock);

  // The directory: KNOWNUSERS from the neighbours, as many as fit a datagram, until it is full.
  // Each neighbour sends its whole list as one round (directory.ts), as a server gossips.
  let next = 0;
  const share = Math.ceil(limits.directory / neighbours.length);
  for (const [n, at] of neighbours.entries()) {
    const end = Math.min(limits.directory, next + share);
    while (next < end) {
      const users: UserNode[] = [];
      for (let k = 0; k < 18 && next < end; k++, next++)
        users.push({ kind: 'UserNode', alias: long('d', next), ip: '10.9.0.1', port: 1000 + (next % 60000) });
      const self: Server = { kind: 'Server', alias: long('n', n), ip: `10.1.${n}.1`, port: 7000 };
      at.send(
        encode({ kind: 'ServerCommand', sender: self, command: { verb: 'KNOWNUSERS', users } }),
        hub.self,
      );
      // KNOWNSERVERS naming servers nobody neighbours, for the known-servers table.
      const servers = Array.from(
        { length: 18 },
        (_, k): Server => ({ kind: 'Server', alias: long('k', next + k), ip: '10.8.0.1', port: 2000 }),
      );
      at.send(
        encode({ kind: 'ServerCommand', sender: self, command: { verb: 'KNOWNSERVERS', servers } }),
        hub.self,
      );
    }
    await drain();
  }

  // Users to the bound, each with a room (to the bound), a message of messageBytes and a FIND.
  const message = 'm'.repeat(limits.messageBytes);
  for (let i = 0; i < limits.users; i++) {
    const ip = `10.2.${(i >> 8) & 255}.${i & 255}`;
    const source = network.transport({ host: ip, port: 5000 });
    await source.open();
    const sender: UserNode = { kind: 'UserNode', alias: long('u', i), ip, port: 5000 };
    const say = (command: UserCommand['command'], padTo = 0) =>
      source.send(encode({ kind: 'UserCommand', sender, command }, padTo), hub.self);
    say({ verb: 'PREFERRED', server: hub.self }, PADDED.preferred);
    if (i < limits.rooms) say({ verb: 'CREATEROOM', room: long('r', i) });
    else say({ verb: 'JOINROOM', room: long('r', i % limits.rooms) });
    say({ verb: 'CSEND', message });
    say({ verb: 'FIND', alias: long('f', i) });
    // The test's own sockets are not the server's memory: each is closed once it has spoken.
    network.clock.setTimeout(() => void source.close(), 2);
    if (i % 500 === 499) await drain();
  }
  await drain();

  const grown = (heapAfterGc() - before) / 2 ** 20;
  console.log(
    `memory: tables full (users ${hub.registry.size}, rooms ${hub.rooms.size}, directory ${hub.directory.size}, ` +
      `neighbours ${hub.neighbours.size}) grew the heap by ${grown.toFixed(1)} MiB (bound ${BOUND_MIB} MiB)`,
  );
  expect(hub.registry.size).toBe(limits.users);
  expect(hub.rooms.size).toBe(limits.rooms);
  expect(hub.directory.size).toBe(limits.directory);
  expect(grown).toBeLessThan(BOUND_MIB);
  await hub.close();
}, 120_000);
