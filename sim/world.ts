/**
 * The simulated network: real ChatServers and ChatUsers on one MemoryNetwork in virtual time,
 * each behind an observed transport, their events written to the trace. Servers and user nodes
 * live in numbered slots; a crashed server comes back in its slot, a user that left is replaced
 * by a new node in its slot.
 */
import {
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  type Endpoint,
  MemoryNetwork,
  RequestError,
  VirtualClock,
} from '../src/node/index.ts';
import { type SimConfig, TIMING } from './config.ts';
import { MemoryStateStore } from './memory-state.ts';
import { observed, SendMeter } from './observed.ts';
import type { Random } from './random.ts';
import { Trace } from './trace.ts';

const HOST = '127.0.0.1';
const SERVER_ALIASES = ['alpha', 'beta', 'gamma', 'delta', 'echo', 'fox', 'golf', 'hotel'];

export interface ServerSlot {
  index: number;
  name: string;
  /** The alias asked for: drawn from a small pool, so some servers must rename. */
  wanted: string;
  channels: Endpoint[];
  store: MemoryStateStore;
  node: ChatServer | undefined;
  /** Claimed its alias and not crashed since. */
  up: boolean;
  starts: number;
}

export interface UserSlot {
  index: number;
  node: ChatUser | undefined;
  /** The node's trace name: `u<slot>.<generation>`. */
  name: string;
  generation: number;
  alias: string;
  home: number;
  /** Registered and not gone. */
  live: boolean;
  /** An operation is in flight. */
  busy: boolean;
  /** The room `say` talks to, when in one. */
  room: string | undefined;
}

export class World {
  readonly clock = new VirtualClock();
  readonly network: MemoryNetwork;
  readonly trace: Trace;
  readonly meter = new SendMeter();
  readonly servers: ServerSlot[] = [];
  readonly users: UserSlot[] = [];
  readonly #random: Random;
  #nextPort = 30_000;
  #aliases = 0;

  constructor(config: SimConfig, random: Random) {
    this.#random = random;
    const network = random.fork();
    this.network = new MemoryNetwork({ clock: this.clock, delayMs: TIMING.delayMs, random: network.next });
    this.trace = new Trace(() => this.clock.now());
    const channels = [...Array(Math.max(1, config.channels)).keys()].map((c) => ({
      ip: `230.0.1.${c + 1}`,
      port: 8450,
    }));
    for (let i = 0; i < config.servers; i++) {
      const own = channels[i % channels.length] as Endpoint;
      // The first servers bridge their channel to the next, so all channels form one network.
      const bridge = i < channels.length - 1 ? [channels[i + 1] as Endpoint] : [];
      this.servers.push({
        index: i,
        name: `s${i}`,
        // A small network draws from a small pool, so some servers must rename; a large one
        // gets names of its own (its runs measure growth, not collisions).
        wanted:
          config.servers <= SERVER_ALIASES.length
            ? random.pick(SERVER_ALIASES.slice(0, Math.max(2, Math.ceil(config.servers * 0.75))))
            : `srv${i}`,
        channels: [own, ...bridge],
        store: new MemoryStateStore(),
        node: undefined,
        up: false,
        starts: 0,
      });
    }
    for (let i = 0; i < config.users; i++) {
      this.users.push({
        index: i,
        node: undefined,
        name: `u${i}.0`,
        generation: 0,
        alias: `u${i}`,
        home: i % Math.max(1, config.servers),
        live: false,
        busy: false,
        room: undefined,
      });
    }
  }

  /** A fresh alias no user has had: aliases are never reused, so the history names one holder. */
  freshAlias(slot: UserSlot): string {
    return `u${slot.index}x${++this.#aliases}`;
  }

  startServer(slot: ServerSlot): void {
    // Ports 10000-29999 are servers' (ten per slot, one per start), 30000 up users'.
    const port = 10_000 + slot.index * 10 + (slot.starts++ % 10);
    const transport = observed(
      this.network.transport({ host: HOST, port }),
      slot.name,
      this.trace,
      this.meter,
    );
    const server = createServer({
      alias: slot.wanted,
      host: HOST,
      port,
      channels: slot.channels,
      transport,
      state: slot.store,
      random: this.#random.fork().next,
      gossipInterval: TIMING.gossipInterval,
      // Every other server gossips incrementally, beside servers sending whole lists (interop).
      fullListEvery: slot.index % 2 === 1 ? TIMING.fullListEvery : 1,
      probeInterval: TIMING.probeInterval,
      relayWindow: TIMING.relayWindow,
      replayWindow: TIMING.replayWindow,
      userExpiry: TIMING.userExpiry,
    });
    slot.node = server;
    const trace = this.trace;
    server.on('error', (error) => trace.record('unhandled', slot.name, { error: error.message }));
    server.on('warning', () => {});
    server.on('aliasChanged', (from, to) => trace.record('renamed', slot.name, { from, to }));
    server.on('packetOut', (packet, to) => {
      // A delivery: a +OK echoing another user's SEND or CSEND, sent to someone else (not a room
      // event to another server, which names the member's server).
      if (
        packet.kind !== 'ServerReply' ||
        packet.status !== '+OK' ||
        packet.command.kind !== 'UserCommand' ||
        packet.servers.length > 0
      )
        return;
      const command = packet.command.command;
      if (command.verb !== 'SEND' && command.verb !== 'CSEND') return;
      if (to.port === packet.command.sender.port && to.ip === packet.command.sender.ip) return;
      trace.record('serverDeliver', slot.name, { to: to.port, text: command.message });
    });
    trace.record('serverStart', slot.name, { port, wanted: slot.wanted });
    server.start().then(
      (self) => {
        if (slot.node !== server) return;
        slot.up = true;
        trace.record('ready', slot.name, { alias: self.alias, port: self.port });
      },
      (error: Error) => {
        if (slot.node === server) trace.record('startFailed', slot.name, { error: error.message });
      },
    );
  }

  /** Kills a server where it stands: its socket closes, its timers stop, its saves are kept. */
  crashServer(slot: ServerSlot): void {
    const server = slot.node;
    if (!server) return;
    slot.node = undefined;
    slot.up = false;
    this.trace.record('crash', slot.name, {});
    void server.close();
  }

  /** Where a user of `slot`'s home server registers: its current address and alias. */
  homeOf(user: UserSlot): (Endpoint & { alias?: string }) | undefined {
    const server = this.servers[user.home];
    if (!server?.node || !server.up) return undefined;
    const self = server.node.self;
    return { ip: self.ip, port: self.port, alias: self.alias };
  }

  /** A new user node in `slot`, registering with its home server; false if home is down. */
  startUser(slot: UserSlot, done: () => void): boolean {
    const home = this.homeOf(slot);
    if (!home) return false;
    const port = this.#nextPort++;
    slot.generation++;
    slot.name = `u${slot.index}.${slot.generation}`;
    if (slot.generation > 1) slot.alias = this.freshAlias(slot);
    const name = slot.name;
    const user = createUserNode({
      alias: slot.alias,
      host: HOST,
      port,
      server: home,
      timeout: TIMING.userTimeout,
      retries: TIMING.retries,
      keepAlive: TIMING.keepAlive,
      findWait: TIMING.findWait,
      transport: observed(this.network.transport({ host: HOST, port }), name, this.trace, this.meter),
    });
    slot.node = user;
    slot.busy = true;
    slot.room = undefined;
    const trace = this.trace;
    user.on('error', (error) => trace.record('unhandled', name, { error: error.message }));
    user.on('warning', () => {});
    user.on('message', (m) =>
      trace.record('deliver', name, {
        text: m.text,
        from: m.from.alias,
        room: m.room ?? '',
        via: m.via?.port,
      }),
    );
    user.on('serverChanged', (to, from, reason) =>
      trace.record('moved', name, { to: to.alias, toPort: to.port, from: from.port, reason }),
    );
    user.on('serverLost', () => trace.record('lost', name, {}));
    user.on('state', (_to, _from, event) => {
      if (event === 'serverFound') trace.record('found', name, { serverPort: user.server.port });
    });
    trace.record('op', name, { op: 'start', alias: slot.alias, port, home: `s${slot.home}` });
    user
      .start()
      .then(
        (server) => {
          if (slot.node === user) slot.live = true;
          trace.record('ok', name, { op: 'start', server: server.alias, serverPort: server.port });
        },
        (error: Error) => {
          trace.record('fail', name, { op: 'start', code: codeOf(error) });
          if (slot.node === user) {
            slot.node = undefined;
            void user.close();
          }
        },
      )
      .finally(() => {
        slot.busy = false;
        done();
      });
    return true;
  }

  /** Closes everything at the end of the run. */
  async close(): Promise<void> {
    for (const slot of this.servers) void slot.node?.close();
    for (const slot of this.users) void slot.node?.close();
  }
}

/** A request's failure as the trace names it: the RequestError code, or `unexpected`. */
export function codeOf(error: unknown): string {
  return error instanceof RequestError ? error.code : `unexpected: ${(error as Error)?.message ?? error}`;
}
