/**
 * A federation at scale in virtual time: `npm run bench:federation`. Writes
 * bench/results/federation.json, from which `npm run bench:report -- --only sim-scale` writes the
 * growth section of docs/performance.md.
 *
 * Real servers (the reference ChatServer, every timer and mechanism) on the in-memory network in
 * virtual time, on channels of `--channel-size` servers joined in a chain by bridging servers (as
 * the simulator places them). Users are registered from their own addresses with one PREFERRED
 * each and then stay idle (not expired during the run), as `bench:growth` does: running a full
 * user node for each of 100,000 users would take hours of wall time (the simulator's own growth
 * table shows why). A few real user nodes ask FIND. Measured per size:
 * - gossip: KNOWNUSERS and KNOWNSERVERS bytes each server sends per virtual second (a multicast
 *   counted once per channel it goes out on);
 * - FIND: hops (the relays between servers the answering copy passed through), virtual latency
 *   p50 / p99, the datagrams between servers one FIND costs, and the wall time the servers spent;
 * - memory: heap after GC per server, once every directory holds every neighbour's users;
 * - convergence: the network cut in two in the middle of the chain for long enough that both
 *   halves forget each other, then healed: the virtual time until every server has its
 *   neighbours back and as many directory entries as before the cut.
 * A size whose wall time, extrapolated from the one before, exceeds `--limit` seconds is not run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Packet } from '../src/index.ts';
import {
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  type Endpoint,
  MemoryNetwork,
  type Transport,
} from '../src/node/index.ts';
import { encode, PADDED } from '../src/node/wire.ts';
import { percentile, printSetup, resultsFolder, saveResults } from './lib/results.ts';
import { seeded } from './lib/seeded.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10x1000,30x1000,100x1000' },
    'channel-size': { type: 'string', default: '10' },
    gossip: { type: 'string', default: '5000' },
    finds: { type: 'string', default: '200' },
    limit: { type: 'string', default: '1200' },
    'full-list-every': { type: 'string', default: '1,12' },
    /** Adds this run's sizes to bench/results/federation.json instead of replacing it. */
    append: { type: 'boolean', default: false },
  },
});
/** Each size runs once per value: 1 is the whole user list every interval, more is incremental gossip. */
const fullListEvery = values['full-list-every'].split(',').map(Number);
const sizes = values.sizes.split(',').map((s) => {
  const [servers, perServer] = s.split('x').map(Number);
  if (!Number.isInteger(servers) || !Number.isInteger(perServer))
    throw new Error(`--sizes: "${s}" is not SERVERSxUSERS_PER_SERVER`);
  return { servers: servers as number, perServer: perServer as number };
});
const channelSize = Number(values['channel-size']);
const gossipInterval = Number(values.gossip);
const findCount = Number(values.finds);
const limit = Number(values.limit);
const DELAY_MS = 2;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:federation does)');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Bytes and datagrams a server sends, by verb. */
type Meter = Map<string, { datagrams: number; bytes: number }>;

/** `inner`, counting what is sent by verb (the fifth word of a server's datagram). */
function metered(inner: Transport, meter: Meter): Transport {
  const decoder = new TextDecoder();
  return new Proxy(inner, {
    get(target, key) {
      if (key !== 'send') {
        // The transport's own fields are private: its methods and getters run on it, not on the proxy.
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (data: Uint8Array, to: Endpoint) => {
        const verb = decoder.decode(data.subarray(0, 120)).split(' ', 5)[4] ?? '?';
        const entry = meter.get(verb) ?? { datagrams: 0, bytes: 0 };
        entry.datagrams++;
        entry.bytes += data.length;
        meter.set(verb, entry);
        target.send(data, to);
      };
    },
  });
}

const serverIp = (i: number) => `10.0.${i >> 8}.${i & 255}`;
const userIp = (u: number) => `${11 + (u >> 16)}.${(u >> 8) & 255}.${u & 255}.1`;

async function measure(serverCount: number, perServer: number, every: number) {
  const started = performance.now();
  /** Wall seconds each phase took, to say where the time goes. */
  const phases: Record<string, number> = {};
  let phaseStart = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = (now - phaseStart) / 1000;
    phaseStart = now;
    const size = `${serverCount} servers, ${serverCount * perServer} users, full list every ${every}`;
    console.log(`  ${size}: ${name} in ${phases[name]?.toFixed(1)} s`);
  };
  const random = seeded(serverCount * 7 + perServer);
  const network = new MemoryNetwork({ delayMs: DELAY_MS, random });
  const clock = network.clock;
  const virtualStart = clock.now();
  const channelCount = Math.max(1, Math.ceil(serverCount / channelSize));
  const channels: Endpoint[] = Array.from({ length: channelCount }, (_, c) => ({
    ip: `231.${c >> 8}.${c & 255}.1`,
    port: 8450,
  }));
  const channelsOf = (i: number) => {
    const own = i % channelCount;
    // The first servers bridge their channel to the next, so the channels form one chain.
    return i < channelCount - 1 ? [own, own + 1] : [own];
  };
  const before = heap();
  const meter: Meter = new Map();
  const servers: ChatServer[] = Array.from({ length: serverCount }, (_, i) =>
    createServer({
      alias: `srv${i}`,
      host: serverIp(i),
      port: 8000,
      channels: channelsOf(i).map((c) => channels[c] as Endpoint),
      gossipInterval,
      fullListEvery: every,
      userExpiry: 24 * 3_600_000,
      random,
      transport: metered(network.transport({ host: serverIp(i), port: 8000 }), meter),
    }),
  );
  await Promise.all(servers.map((s) => s.start()));
  // Every server is the neighbour of every other on its channels.
  const members = channels.map((_, c) => servers.filter((_, i) => channelsOf(i).includes(c)).length);
  const expectedNeighbours = servers.map((_, i) => {
    const peers = new Set<number>();
    for (const c of channelsOf(i))
      for (let j = 0; j < serverCount; j++) if (j !== i && channelsOf(j).includes(c)) peers.add(j);
    return peers;
  });
  const formed = () =>
    servers.every((s, i) => s.neighbours.size === (expectedNeighbours[i] as Set<number>).size);
  for (let k = 0; k < 20 && !formed(); k++) await clock.sleep(gossipInterval);
  if (!formed()) throw new Error('the neighbours did not form within 20 gossip intervals');
  phase('servers up and neighbours formed');

  /** User `u` registers with `home` from its own address: one PREFERRED, then idle. */
  const register = async (u: number, home: ChatServer) => {
    const source = network.transport({ host: userIp(u), port: 5000 });
    await source.open();
    const packet: Packet = {
      kind: 'UserCommand',
      sender: { kind: 'UserNode', alias: `u${u}`, ip: userIp(u), port: 5000 },
      command: { verb: 'PREFERRED', server: home.self },
    };
    source.send(encode(packet, PADDED.preferred), home.self);
    await source.close();
  };
  // A thousand every 10 virtual ms, round the servers: with the whole list every interval, each
  // server multicasts its whole list once per batch (the arrivals of one turn go out together).
  const users = serverCount * perServer;
  for (let u = 0; u < users; u++) {
    await register(u, servers[u % serverCount] as ChatServer);
    if (u % 1000 === 999) await clock.sleep(10);
  }
  const rateLimited = () => servers.reduce((n, s) => n + s.counters.rateLimited, 0);
  phase('users registered');
  const expectedDirectory = expectedNeighbours.map((peers) => peers.size * perServer);
  const complete = () =>
    servers.every(
      (s, i) =>
        s.neighbours.size === (expectedNeighbours[i] as Set<number>).size &&
        s.directory.size === expectedDirectory[i],
    );
  for (let k = 0; k < every + 10 && !complete(); k++) await clock.sleep(gossipInterval);
  const droppedWhileRegistering = rateLimited();
  const registered = servers.reduce((n, s) => n + s.registry.size, 0);
  if (!complete() || registered !== users)
    throw new Error(`not every directory filled: ${registered} of ${users} users registered`);
  // One more interval: the users' failover lists, held back while the neighbours formed, go out.
  await clock.sleep(gossipInterval);
  const heapBytes = heap() - before;
  phase('directories filled');

  // Gossip, over whole intervals (a multiple of the intervals between whole lists).
  meter.clear();
  const window = Math.max(...fullListEvery) * gossipInterval;
  await clock.sleep(window);
  const perSecond = (verb: string) => (meter.get(verb)?.bytes ?? 0) / serverCount / (window / 1000);
  const gossip = {
    knownUsers: perSecond('KNOWNUSERS'),
    knownServers: perSecond('KNOWNSERVERS'),
    all: [...meter.values()].reduce((n, e) => n + e.bytes, 0) / serverCount / (window / 1000),
  };
  phase(`gossip measured over ${window / 1000} virtual s`);

  // Arrivals one by one, as users come: what a new user costs in gossip beyond the rounds above.
  meter.clear();
  const arrivals = 50;
  const arrivalWindow = window;
  for (let a = 0; a < arrivals; a++) {
    await register(users + a, servers[Math.floor(random() * serverCount)] as ChatServer);
    await clock.sleep(arrivalWindow / arrivals);
  }
  const arrivalBytes =
    (meter.get('KNOWNUSERS')?.bytes ?? 0) - gossip.knownUsers * serverCount * (arrivalWindow / 1000);
  const gossipPerArrival = arrivalBytes / arrivals;
  phase(`${arrivals} arrivals`);

  // FIND, from user nodes on ten servers spread over the chain, for users anywhere.
  const index = new Map(servers.map((s, i) => [`${s.self.ip}:${s.self.port}`, i]));
  const finders: ChatUser[] = [];
  for (let f = 0; f < 10; f++) {
    const home = servers[Math.floor((f * serverCount) / 10)] as ChatServer;
    const finder = createUserNode({
      alias: `finder${f}`,
      server: home.self,
      keepAlive: 0,
      findWait: 2000,
      transport: network.transport({ host: `12.0.0.${f + 1}`, port: 6000 }),
    });
    await finder.start();
    finders.push(finder);
  }
  /** The relay depth each server first saw the current FIND at, and the depth of the first +OK. */
  let depth = new Map<number, number>();
  let answeredAt: number | undefined;
  let relays = 0;
  const hooks = servers.map((_, i) => (packet: Packet, to: Endpoint) => {
    if (packet.kind === 'UserCommand' && packet.command.verb === 'FIND') {
      const j = index.get(`${to.ip}:${to.port}`);
      if (j === undefined) return;
      relays++;
      if (!depth.has(j)) depth.set(j, (depth.get(i) ?? 0) + 1);
    }
    if (
      packet.kind === 'ServerReply' &&
      packet.status === '+OK' &&
      packet.command.kind === 'UserCommand' &&
      packet.command.command.verb === 'FIND' &&
      packet.users.length > 0 &&
      answeredAt === undefined
    )
      answeredAt = depth.get(i) ?? 0;
  });
  for (const [i, s] of servers.entries()) s.on('packetOut', hooks[i] as (p: Packet, to: Endpoint) => void);
  const hops: number[] = [];
  const latencies: number[] = [];
  const floods: number[] = [];
  const wallPerFind: number[] = [];
  let found = 0;
  for (let k = 0; k < findCount; k++) {
    const f = k % finders.length;
    const finder = finders[f] as ChatUser;
    const home = Math.floor((f * serverCount) / 10);
    depth = new Map([[home, 0]]);
    answeredAt = undefined;
    relays = 0;
    const target = Math.floor(random() * users);
    const t0 = clock.now();
    const w0 = performance.now();
    const location = await finder.find(`u${target}`);
    latencies.push(clock.now() - t0);
    wallPerFind.push(performance.now() - w0);
    if (location?.user.ip === userIp(target)) found++;
    hops.push(answeredAt ?? Number.NaN);
    // Let the flood finish: the seen-set ends it within the diameter.
    await clock.sleep(100 + 2 * DELAY_MS * (channelCount + 2));
    floods.push(relays);
  }
  for (const [i, s] of servers.entries()) s.off('packetOut', hooks[i] as (p: Packet, to: Endpoint) => void);
  await Promise.all(finders.map((f) => f.close()));
  phase(`${findCount} FINDs`);

  // A partition in the middle of the chain (or of the one channel), long enough that each half
  // forgets the other, then healed. The finders are still registered (closed without EXIT), so
  // "right" is what each directory held just before the cut.
  await clock.sleep(2 * gossipInterval);
  const beforeCut = servers.map((s) => s.directory.size);
  const whole = () =>
    servers.every(
      (s, i) =>
        s.neighbours.size === (expectedNeighbours[i] as Set<number>).size &&
        s.directory.size === beforeCut[i],
    );
  const left = servers.filter((_, i) =>
    channelCount > 1 ? i % channelCount < channelCount / 2 : i < serverCount / 2,
  );
  const right = servers.filter((s) => !left.includes(s));
  network.partition(
    left.map((s) => s.self),
    right.map((s) => s.self),
  );
  await clock.sleep(8 * gossipInterval);
  const forgotten = servers.filter((s, i) => s.directory.size < (beforeCut[i] as number)).length;
  network.heal();
  const healed = clock.now();
  const step = gossipInterval / 20;
  while (!whole() && clock.now() - healed < 30 * gossipInterval) await clock.sleep(step);
  const convergence = whole() ? clock.now() - healed : Number.NaN;
  phase('partition, heal and convergence');

  await Promise.all(servers.map((s) => s.close()));
  const row = {
    servers: serverCount,
    users,
    usersPerServer: perServer,
    fullListEvery: every,
    channels: channelCount,
    serversPerChannel: Math.max(...members),
    wallSeconds: (performance.now() - started) / 1000,
    wallSecondsByPhase: phases,
    virtualSeconds: (clock.now() - virtualStart) / 1000,
    gossipBytesPerServerPerSecond: gossip,
    /** Gossip datagrams neighbours dropped over their rate limit while the users registered. */
    rateLimitedWhileRegistering: droppedWhileRegistering,
    /** KNOWNUSERS bytes all servers sent for one user arriving, beyond the regular rounds. */
    gossipBytesPerArrival: gossipPerArrival,
    directoryPerServer: expectedDirectory.reduce((a, b) => a + b, 0) / serverCount,
    heapBytesPerServer: heapBytes / serverCount,
    find: {
      asked: findCount,
      found,
      hops: { p50: percentile(hops, 50), p99: percentile(hops, 99), max: Math.max(...hops) },
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      serverDatagramsPerFind: floods.reduce((a, b) => a + b, 0) / floods.length,
      wallMsPerFind: percentile(wallPerFind, 50),
    },
    partition: { left: left.length, right: right.length, serversThatForgot: forgotten },
    convergenceMs: convergence,
  };
  console.log(JSON.stringify(row));
  return row;
}

const setup = {
  sizes: values.sizes,
  channelSize,
  gossipInterval: `${gossipInterval} ms`,
  finds: findCount,
  fullListEvery: fullListEvery.join(', '),
  delay: `${DELAY_MS} ms a hop`,
};
printSetup('federation', setup);
const rows = [];
const skipped: { servers: number; users: number; why: string }[] = [];
let lastWallPerUser = 0;
for (const { servers, perServer } of sizes) {
  for (const every of fullListEvery) {
    const users = servers * perServer;
    const estimate = lastWallPerUser * users;
    if (estimate > limit) {
      const why = `estimated ${Math.round(estimate)} s of wall time from the size before, over the ${limit} s limit`;
      skipped.push({ servers, users, why });
      console.log(`${servers} servers, ${users} users: not run (${why})`);
      continue;
    }
    const row = await measure(servers, perServer, every);
    lastWallPerUser = row.wallSeconds / users;
    rows.push(row);
  }
}
// `--append`: the sizes run before stay, with the setup they were run with.
const earlier = join(resultsFolder, 'federation.json');
const before = values.append && existsSync(earlier) ? JSON.parse(readFileSync(earlier, 'utf8')) : undefined;
console.log(
  saveResults('federation', before?.setup ?? setup, {
    rows: [...(before?.rows ?? []), ...rows],
    skipped: [...(before?.skipped ?? []), ...skipped],
  }),
);
