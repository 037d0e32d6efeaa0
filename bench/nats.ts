/**
 * The federation over NATS beside the same over UDP, in one run: `npm run bench:nats`. Writes
 * bench/results/nats.json.
 *
 * - request/reply: a user node asks its server LISTROOMS, one request at a time. UDP: user and
 *   server on UDP. NATS: the server on cluster node n1, the user node on NATS alone on n2, so each
 *   request and reply crosses a route.
 * - room fan-out: one member says messages into a room of `members` members, each CSEND awaiting
 *   its +OK; deliveries per second until every member has every message. UDP: members by UDP.
 *   NATS: members on NATS alone, on n2 and n3, the server on n1.
 * - a NATS node SIGKILLed under a stream of datagrams (one per ms) between two NATS transports,
 *   the sender on n1 (n2 as its second URL), the receiver on n3: datagrams lost with the client's
 *   default settings, with ours, and with ours publishing again after the reconnect (recent-sends.ts).
 * - a NATS node frozen (SIGSTOP) under the same stream: how long until the sender notices and
 *   until datagrams flow again, with our settings (with the client's defaults the pings notice
 *   it only after pingInterval x maxPingOut = 4 minutes, so that is not run).
 *
 * Nodes, servers and users share this process in both configurations, so the ratios compare like
 * with like; the nats-server processes are Debian's, on ports chosen at run time.
 */
import { parseArgs } from 'node:util';
import {
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  DEFAULT_NATS_SETTINGS,
  type Endpoint,
  type NatsConnectionSettings,
  natsTransport,
} from '../src/node/index.ts';
import { NATS_SERVER, NatsProcesses, NO_NATS_SERVER } from '../test/node/nats/cluster.ts';
import { fmt, percentile, printSetup, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    members: { type: 'string', default: '20' },
    messages: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const members = Number(values.members);
const messages = Number(values.messages);
const rounds = Number(values.rounds);
if (!NATS_SERVER) {
  console.error(`bench/nats.ts: ${NO_NATS_SERVER}`);
  process.exit(1);
}

const CHANNEL = { ip: '239.255.77.1', port: 28450 };
let nextPort = 47100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Network {
  server(): Promise<ChatServer>;
  user(alias: string, server: ChatServer, i: number): Promise<ChatUser>;
  close(): Promise<void>;
}

function udpNetwork(): Network {
  const nodes: { close(): Promise<void> }[] = [];
  return {
    async server() {
      const s = createServer({ alias: 'alpha', channels: [CHANNEL], rateLimits: false });
      nodes.push(s);
      await s.start();
      return s;
    },
    async user(alias, server) {
      const u = createUserNode({ alias, server: server.self, keepAlive: 0 });
      nodes.push(u);
      await u.start();
      return u;
    },
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
    },
  };
}

async function natsNetwork(): Promise<Network> {
  const processes = new NatsProcesses();
  const [n1, n2, n3] = await processes.cluster(3);
  const nodes: { close(): Promise<void> }[] = [];
  return {
    async server() {
      const transport = natsTransport({ servers: [n1?.url as string], lan: true });
      const s = createServer({ alias: 'alpha', channels: [CHANNEL], rateLimits: false, transport });
      nodes.push(s);
      await s.start();
      return s;
    },
    async user(alias, server, i) {
      const node = i % 2 === 0 ? n2 : n3;
      const transport = natsTransport({ servers: [node?.url as string], port: nextPort++ });
      const u = createUserNode({ alias, server: server.self, keepAlive: 0, transport });
      nodes.push(u);
      await u.start();
      return u;
    },
    async close() {
      await Promise.all(nodes.map((n) => n.close()));
      await processes.stop();
    },
  };
}

/** Round trips per second and their p50/p99 in microseconds. */
async function requestReply(network: Network) {
  const server = await network.server();
  const ann = await network.user('ann', server, 0);
  for (let i = 0; i < 200; i++) await ann.rooms(); // warm up
  const took: number[] = [];
  const start = performance.now();
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await ann.rooms();
    took.push((performance.now() - t) * 1000);
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: requests / seconds, p50: percentile(took, 50), p99: percentile(took, 99) };
}

/** Deliveries per second into a room of `members`. */
async function fanout(network: Network) {
  const server = await network.server();
  const users: ChatUser[] = [];
  for (let i = 0; i < members; i++) users.push(await network.user(`m${i}`, server, i));
  const [speaker, ...listeners] = users as [ChatUser, ...ChatUser[]];
  await speaker.createRoom('lobby');
  for (const u of listeners) await u.join('lobby');
  const counts = listeners.map(() => 0);
  const readers = listeners.map(async (u, i) => {
    for await (const _ of u.messages({ signal: AbortSignal.timeout(60_000) })) {
      counts[i] = (counts[i] ?? 0) + 1;
      if (counts[i] === messages) return;
    }
  });
  const start = performance.now();
  for (let i = 0; i < messages; i++) await speaker.say(`message ${i} ${'x'.repeat(64)}`);
  await Promise.all(readers);
  const seconds = (performance.now() - start) / 1000;
  return { deliveredPerSecond: (messages * listeners.length) / seconds };
}

const CLIENT_DEFAULTS: NatsConnectionSettings = {
  reconnectTimeWait: 2000,
  reconnectJitter: 100,
  pingInterval: 120_000,
  maxPingOut: 2,
  timeout: 20_000,
  resendWindow: 0,
};

/** Datagrams lost and repeated when the sender's node fails under a stream, one per ms. */
async function nodeFailure(settings: NatsConnectionSettings, signal: 'SIGKILL' | 'SIGSTOP') {
  const processes = new NatsProcesses();
  const [n1, n2, n3] = await processes.cluster(3);
  const a = natsTransport({ servers: [n1?.url as string, n2?.url as string], port: 1, settings });
  const b = natsTransport({ servers: [n3?.url as string], port: 2, settings });
  const seen = new Map<number, number>();
  let noticedAt = 0;
  let flowingAt = 0;
  let stoppedAt = 0;
  b.on('datagram', (data) => {
    const n = Number(new TextDecoder().decode(data));
    seen.set(n, (seen.get(n) ?? 0) + 1);
    if (stoppedAt && !flowingAt && n > sentBeforeStop) flowingAt = performance.now();
  });
  a.on('error', () => {
    noticedAt ||= performance.now();
  });
  await a.open();
  await b.open();
  const to: Endpoint = b.address;
  let sent = 0;
  let sentBeforeStop = 0;
  const total = signal === 'SIGKILL' ? 3000 : 5000;
  const stopAt = 500;
  const started = performance.now();
  while (sent < total) {
    if (sent === stopAt) {
      n1?.process.kill(signal);
      stoppedAt = performance.now();
      sentBeforeStop = sent;
    }
    a.send(new TextEncoder().encode(String(sent)), to);
    sent++;
    // One per ms of wall time, catching up after a slow turn.
    const due = started + sent;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await sleep(2000);
  const lost = sent - seen.size;
  const repeated = [...seen.values()].filter((c) => c > 1).length;
  if (signal === 'SIGSTOP') n1?.process.kill('SIGCONT');
  await a.close();
  await b.close();
  await processes.stop();
  return {
    sent,
    lost,
    repeated,
    noticedMs: noticedAt ? noticedAt - stoppedAt : undefined,
    flowingMs: flowingAt ? flowingAt - stoppedAt : undefined,
  };
}

printSetup('NATS against UDP', { requests, members, messages, rounds, nats: NATS_SERVER });
const rr = { udp: [] as number[], nats: [] as number[] };
const rrLatency = {
  udp: [] as number[],
  nats: [] as number[],
  udpP99: [] as number[],
  natsP99: [] as number[],
};
const fan = { udp: [] as number[], nats: [] as number[] };
for (let round = 0; round < rounds; round++) {
  for (const kind of ['udp', 'nats'] as const) {
    const network = kind === 'udp' ? udpNetwork() : await natsNetwork();
    const r = await requestReply(network);
    await network.close();
    rr[kind].push(r.perSecond);
    rrLatency[kind].push(r.p50);
    rrLatency[kind === 'udp' ? 'udpP99' : 'natsP99'].push(r.p99);
    const network2 = kind === 'udp' ? udpNetwork() : await natsNetwork();
    const f = await fanout(network2);
    await network2.close();
    fan[kind].push(f.deliveredPerSecond);
    console.log(
      `round ${round + 1} ${kind}: ${fmt(r.perSecond)} round trips/s (p50 ${fmt(r.p50)} µs), ${fmt(f.deliveredPerSecond)} room deliveries/s`,
    );
  }
}
const failures = {
  killedDefaults: await nodeFailure(CLIENT_DEFAULTS, 'SIGKILL'),
  killedOursNoResend: await nodeFailure({ ...DEFAULT_NATS_SETTINGS, resendWindow: 0 }, 'SIGKILL'),
  killedOurs: await nodeFailure(DEFAULT_NATS_SETTINGS, 'SIGKILL'),
  frozenOurs: await nodeFailure(DEFAULT_NATS_SETTINGS, 'SIGSTOP'),
};
for (const [name, f] of Object.entries(failures)) {
  console.log(
    `${name}: ${f.lost} of ${f.sent} lost, ${f.repeated} repeated${f.noticedMs === undefined ? '' : `, noticed after ${fmt(f.noticedMs)} ms`}${f.flowingMs === undefined ? '' : `, flowing again after ${fmt(f.flowingMs)} ms`}`,
  );
}
const results = {
  requestReply: {
    udp: spread(rr.udp),
    nats: spread(rr.nats),
    ratio: spread(rr.nats.map((n, i) => n / (rr.udp[i] as number))),
    p50: { udp: spread(rrLatency.udp), nats: spread(rrLatency.nats) },
    p99: { udp: spread(rrLatency.udpP99), nats: spread(rrLatency.natsP99) },
  },
  fanout: {
    udp: spread(fan.udp),
    nats: spread(fan.nats),
    ratio: spread(fan.nats.map((n, i) => n / (fan.udp[i] as number))),
  },
  failures,
  settings: { ours: DEFAULT_NATS_SETTINGS, clientDefaults: CLIENT_DEFAULTS },
};
console.log(
  `request/reply NATS/UDP ${fmt(results.requestReply.ratio.median, 2)}x; fan-out NATS/UDP ${fmt(results.fanout.ratio.median, 2)}x`,
);
console.log(`wrote ${saveResults('nats', { requests, members, messages, rounds }, results)}`);
