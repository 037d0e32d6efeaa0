/**
 * A load run: user nodes spread over three servers on loopback (real UDP, multicast on
 * 127.0.0.1), each in a room of its server, sending direct messages (SEND) and room messages
 * (CSEND) at a fixed aggregate rate for a fixed time. Every message is accounted for: accepted
 * (+OK) and then delivered, refused (-ERR), or failed (no answer). Used by load.test.ts (small,
 * correctness only) and `npm run bench:load` (the full run, with rates and latencies).
 */
import {
  type ChatMessage,
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  RequestError,
} from '../../src/node/index.ts';
import { until } from './wait.ts';

export interface LoadOptions {
  users: number;
  /** Messages per second, all users together. */
  rate: number;
  seconds: number;
  /** Share of messages that are CSEND (the rest are SEND). */
  roomShare: number;
  roomsPerServer: number;
  channel: { ip: string; port: number };
}

export interface LoadResult {
  sent: number;
  accepted: number;
  refused: number;
  failed: number;
  /** SENDs accepted and delivered exactly once / more than once / never. */
  sendDeliveredOnce: number;
  sendDuplicated: number;
  sendLost: number;
  /** CSEND deliveries expected (other members at the time) and made. */
  roomExpected: number;
  roomDelivered: number;
  /** Direct-message latency, send to delivery, in ms. */
  p50: number;
  p99: number;
  /** Deliveries per second over the load phase. */
  deliveredPerSecond: number;
}

/** Paces the offered load: the sender waits out one tick of its schedule. */
const pace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const servers: ChatServer[] = ['north', 'east', 'west'].map((alias) =>
    createServer({
      alias,
      channels: [options.channel],
      gossipInterval: 1000,
      // Three servers carry every user's relayed messages: give neighbours room to spare.
      rateLimits: { server: { rate: 10_000, burst: 20_000 } },
    }),
  );
  const users: ChatUser[] = [];
  try {
    await Promise.all(servers.map((s) => s.start()));
    for (let i = 0; i < options.users; i += 50) {
      const batch = Array.from({ length: Math.min(50, options.users - i) }, (_, j) => {
        const home = servers[(i + j) % servers.length] as ChatServer;
        return createUserNode({
          alias: `u${i + j}`,
          server: home.self,
          timeout: 500,
          retries: 4,
          keepAlive: 0,
        });
      });
      await Promise.all(batch.map((u) => u.start()));
      users.push(...batch);
    }
    // Rooms: `roomsPerServer` on each server; each user joins one on its own server.
    const roomOf = new Map<ChatUser, string>();
    const members = new Map<string, Set<ChatUser>>();
    for (const [i, u] of users.entries()) {
      const server = i % servers.length;
      const room = `r${server}x${Math.floor(i / servers.length) % options.roomsPerServer}`;
      if (members.has(room)) await u.join(room);
      else {
        await u.createRoom(room);
        members.set(room, new Set());
      }
      members.get(room)?.add(u);
      roomOf.set(u, room);
    }
    // Gossip: every server learns every user hosted elsewhere.
    await until(
      () =>
        servers.every((s) =>
          users.every(
            (u) => s.registry.holding(u.self.alias) || s.directory.lookup(u.self.alias, Date.now()),
          ),
        ),
      'every server to know every user',
      10_000,
    );

    const received = new Map<string, number>();
    const deliveredAt = new Map<string, number>();
    let roomDelivered = 0;
    let deliveries = 0;
    for (const u of users) {
      u.on('message', (m: ChatMessage) => {
        deliveries++;
        if (m.kind === 'room') {
          roomDelivered++;
          return;
        }
        received.set(m.text, (received.get(m.text) ?? 0) + 1);
        if (!deliveredAt.has(m.text)) deliveredAt.set(m.text, performance.now());
      });
    }

    const sentAt = new Map<string, number>();
    const acceptedSends = new Set<string>();
    let sent = 0;
    let accepted = 0;
    let refused = 0;
    let failed = 0;
    let roomExpected = 0;
    const pending: Promise<void>[] = [];
    const tick = 20;
    const perTick = (options.rate * tick) / 1000;
    let owed = 0;
    const started = performance.now();
    const deliveriesBefore = deliveries;
    while (performance.now() - started < options.seconds * 1000) {
      owed += perTick;
      for (; owed >= 1; owed--) {
        const from = users[Math.floor(Math.random() * users.length)] as ChatUser;
        const id = `m${sent++}`;
        const room = Math.random() < options.roomShare;
        let request: Promise<void>;
        if (room) {
          const others = (members.get(roomOf.get(from) as string)?.size ?? 1) - 1;
          request = from.say(id).then(() => {
            roomExpected += others;
          });
        } else {
          // Not to itself: the delivery of a SEND to oneself is the same datagram as its +OK.
          const pick = Math.floor(Math.random() * (users.length - 1));
          const to = users[pick >= users.indexOf(from) ? pick + 1 : pick] as ChatUser;
          sentAt.set(id, performance.now());
          request = from.send(to.self.alias, id).then(() => {
            acceptedSends.add(id);
          });
        }
        pending.push(
          request.then(
            () => {
              accepted++;
            },
            (error: unknown) => {
              if (error instanceof RequestError && error.code === 'REFUSED') refused++;
              else failed++;
            },
          ),
        );
      }
      await pace(tick);
    }
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(pending);
    // The last deliveries: every accepted message arrived, or the bound passed and the rest count as lost.
    await until(
      () => roomDelivered >= roomExpected && [...acceptedSends].every((id) => received.has(id)),
      'the last deliveries',
      5000,
    ).catch(() => undefined);

    let once = 0;
    let duplicated = 0;
    let lost = 0;
    const latencies: number[] = [];
    for (const id of acceptedSends) {
      const times = received.get(id) ?? 0;
      if (times === 1) once++;
      else if (times > 1) duplicated++;
      else lost++;
      const at = deliveredAt.get(id);
      if (at !== undefined) latencies.push(at - (sentAt.get(id) as number));
    }
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return {
      sent,
      accepted,
      refused,
      failed,
      sendDeliveredOnce: once,
      sendDuplicated: duplicated,
      sendLost: lost,
      roomExpected,
      roomDelivered,
      p50: percentile(0.5),
      p99: percentile(0.99),
      deliveredPerSecond: (deliveries - deliveriesBefore) / elapsed,
    };
  } finally {
    await Promise.all(users.map((u) => u.close()));
    await Promise.all(servers.map((s) => s.close()));
  }
}
