/**
 * How costs grow with the number of users: `npm run bench:growth`. Writes bench/results/growth.json.
 *
 * For 1,000, 10,000 and 50,000 users spread over 10 servers (one process, on the in-memory
 * network, which lets one process speak from 50,000 addresses), after gossip has spread them:
 * - memory: heap growth after GC, per user, for the whole network and per server;
 * - FIND latency: a user node on one server finds random users hosted on the others (p50, p99),
 *   end to end (each hop of the in-memory network is a timer, about 1 ms) and at the server
 *   (from the FIND's arrival to its answer leaving);
 * - gossip: KNOWNUSERS and KNOWNSERVERS bytes each server multicasts per second.
 */
import { parseArgs } from 'node:util';
import type { Packet } from '../src/index.ts';
import { serialize } from '../src/index.ts';
import { type ChatServer, createServer, createUserNode, MemoryNetwork } from '../src/node/index.ts';
import { encode, PADDED } from '../src/node/wire.ts';
import { fmt, percentile, printSetup, saveResults } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000,10000,50000' },
    servers: { type: 'string', default: '10' },
    finds: { type: 'string', default: '300' },
    gossip: { type: 'string', default: '2000' },
  },
});
const sizes = values.users.split(',').map(Number);
const serverCount = Number(values.servers);
const finds = Number(values.finds);
const gossipInterval = Number(values.gossip);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:growth does)');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(users: number) {
  const network = new MemoryNetwork();
  const channel = { ip: '239.7.7.7', port: 8450 };
  const limits = { users: users, directory: users * 2, neighbours: 64 };
  const servers: ChatServer[] = Array.from({ length: serverCount }, (_, i) =>
    createServer({
      alias: `s${i}`,
      channels: [channel],
      gossipInterval,
      probeInterval: 20,
      rateLimits: false,
      limits,
      transport: network.transport({ host: `10.9.0.${i + 1}`, port: 8000 }),
    }),
  );
  await Promise.all(servers.map((s) => s.start()));
  const before = heap();

  // Users registered from their own addresses, then gone: servers keep them, as users that are
  // idle. Their replies fall on the floor of the in-memory network.
  for (let i = 0; i < users; i++) {
    const home = servers[i % serverCount] as ChatServer;
    const ip = `10.${10 + ((i >> 16) & 255)}.${(i >> 8) & 255}.${i & 255}`;
    const source = network.transport({ host: ip, port: 5000 });
    await source.open();
    const packet: Packet = {
      kind: 'UserCommand',
      sender: { kind: 'UserNode', alias: `u${i}`, ip, port: 5000 },
      command: { verb: 'PREFERRED', server: home.self },
    };
    source.send(encode(packet, PADDED.preferred), home.self);
    await source.close();
    if (i % 2000 === 1999) await sleep(0);
  }
  await sleep(2.5 * gossipInterval); // every directory hears every server's gossip
  const registered = servers.reduce((sum, s) => sum + s.registry.size, 0);
  const known = servers.map((s) => s.directory.size);
  const after = heap();

  // Gossip bytes per server per second, over two intervals.
  let gossipBytes = 0;
  const count = (packet: Packet) => {
    if (
      packet.kind === 'ServerCommand' &&
      (packet.command.verb === 'KNOWNUSERS' || packet.command.verb === 'KNOWNSERVERS')
    )
      gossipBytes += Buffer.byteLength(serialize(packet));
  };
  for (const s of servers) s.on('packetOut', count);
  const window = 2 * gossipInterval;
  await sleep(window);
  for (const s of servers) s.off('packetOut', count);

  // FIND from a user node on the first server, for users hosted elsewhere.
  const finder = createUserNode({
    alias: 'finder',
    server: (servers[0] as ChatServer).self,
    keepAlive: 0,
    transport: network.transport({ host: '10.9.9.9', port: 6000 }),
  });
  await finder.start();
  const latencies: number[] = [];
  // The server's own share: from the FIND's arrival to its answer leaving.
  const handling: number[] = [];
  let arrived = 0;
  const home = servers[0] as ChatServer;
  const onIn = (packet: Packet) => {
    if (packet.kind === 'UserCommand' && packet.command.verb === 'FIND') arrived = performance.now();
  };
  const onOut = (packet: Packet) => {
    if (
      packet.kind === 'ServerReply' &&
      packet.command.kind === 'UserCommand' &&
      packet.command.command.verb === 'FIND'
    )
      handling.push(performance.now() - arrived);
  };
  home.on('packetIn', onIn);
  home.on('packetOut', onOut);
  let found = 0;
  for (let k = 0; k < finds; k++) {
    const target = 1 + ((k * 7919) % users);
    const alias = `u${target % serverCount === 0 ? target + 1 : target}`;
    const started = performance.now();
    if (await finder.find(alias)) found++;
    latencies.push(performance.now() - started);
  }
  await finder.close();
  await Promise.all(servers.map((s) => s.close()));
  const bytes = after - before;
  return {
    users,
    registered,
    directoryEntries: { min: Math.min(...known), max: Math.max(...known) },
    heapBytes: bytes,
    bytesPerUser: bytes / users,
    bytesPerUserPerServer: bytes / users / serverCount,
    find: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), found, asked: finds },
    findAtServer: { p50: percentile(handling, 50), p99: percentile(handling, 99) },
    gossipBytesPerSecondPerServer: gossipBytes / serverCount / (window / 1000),
  };
}

const setup = {
  servers: serverCount,
  users: sizes.join(', '),
  finds,
  gossipInterval: `${gossipInterval} ms`,
};
printSetup('growth', setup);
const rows = [];
for (const users of sizes) {
  const row = await measure(users);
  rows.push(row);
  console.log(
    `${fmt(users).padStart(7)} users: heap ${fmt(row.heapBytes / 2 ** 20, 1)} MiB, ${fmt(row.bytesPerUser)} B/user (${fmt(row.bytesPerUserPerServer)} per server), ` +
      `FIND p50 ${fmt(row.find.p50, 2)} ms p99 ${fmt(row.find.p99, 2)} ms (${row.find.found}/${row.find.asked} found; ` +
      `at the server p50 ${fmt(row.findAtServer.p50 * 1000)} µs p99 ${fmt(row.findAtServer.p99 * 1000)} µs), ` +
      `gossip ${fmt(row.gossipBytesPerSecondPerServer / 1024, 1)} KiB/s per server, registered ${row.registered}, directories ${row.directoryEntries.min}-${row.directoryEntries.max}`,
  );
}
console.log(`results: ${saveResults('growth', setup, { rows })}`);
