/**
 * The reference server: `createServer(options)` gives a ChatServer that claims its alias by
 * DISCOVER, gossips, answers user nodes and relays FIND and SEND between servers.
 */
import { EventEmitter } from 'node:events';
import type {
  Command,
  JoinChannelCommand,
  Packet,
  Server,
  ServerCommand,
  ServerReply,
  Status,
  UserNode,
} from '../../ast.ts';
import { abortable } from '../abort.ts';
import { checkServerOptions } from '../check-options.ts';
import { type Endpoint, isMulticast, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { encode, type ReplyLists, reply, serverAt } from '../wire.ts';
import type { SendOptions, ServerContext, ServerEvents } from './context.ts';
import { ReplyCredit } from './credit.ts';
import { Directory } from './directory.ts';
import { Discovery } from './discovery.ts';
import { dispatch, type ServerCounters } from './dispatch.ts';
import { SeenSet } from './find.ts';
import { Gossip } from './gossip.ts';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMITS, RateLimiter, type ServerLimits } from './limits.ts';
import { Neighbours } from './neighbours.ts';
import { DEFAULT_CHANNEL, type ServerOptions } from './options.ts';
import { Recovery } from './recovery.ts';
import { Registry } from './registry.ts';
import { ReplayCache } from './replay.ts';
import { Rooms } from './rooms.ts';
import { loadState, type ServerState, StateFile } from './state.ts';

interface Scope {
  from: Endpoint;
  trusted: boolean;
}

/** Missed gossip intervals after which a neighbour or a directory entry is dropped. */
const SILENT_INTERVALS = 3;

/**
 * A reference server: claims its alias on the channels, gossips, answers and floods FIND, hosts
 * users and rooms, and calls its users home after a restart. Made by {@link createServer}.
 * @example
 * await using server = createServer({ alias: 'alpha', port: 0 });
 * await server.start();
 * server.on('userAttached', (user) => console.log(`${user.alias} joined`));
 */
export class ChatServer extends EventEmitter<ServerEvents> {
  readonly #options: ServerContext['options'];
  readonly #transport: Transport;
  readonly #ctx: ServerContext;
  readonly #discovery: Discovery;
  readonly #gossip: Gossip;
  readonly #recovery: Recovery;
  readonly #replay: ReplayCache;
  readonly #rates: RateLimiter | undefined;
  readonly #credit = new ReplyCredit();
  /** The datagram being handled: its source, and whether that source was known on arrival. */
  #scope: Scope | undefined;
  /** The bounds in force: DEFAULT_LIMITS with the `limits` option over them. */
  readonly limits: ServerLimits;
  readonly #stateFile: StateFile | undefined;
  #alias: string;
  #started = false;
  #closed = false;
  readonly #pendingJoins = new Map<string, (reply: ServerReply) => void>();
  /** Datagram counts, for monitoring. */
  readonly counters: ServerCounters = {
    received: 0,
    undecodable: 0,
    spoofed: 0,
    unregistered: 0,
    repeats: 0,
    rateLimited: 0,
    overLimit: 0,
    withheld: 0,
    unsolicited: 0,
    sent: 0,
  };
  /** @internal The users hosted here: inspection for tests, not a stable API. */
  readonly registry: Registry;
  /** @internal Who is where, from gossip: inspection for tests, not a stable API. */
  readonly directory: Directory;
  /** @internal The rooms hosted here: inspection for tests, not a stable API. */
  readonly rooms = new Rooms();
  /** @internal Neighbours and known servers: inspection for tests, not a stable API. */
  readonly neighbours: Neighbours;

  /** Checks the options (a TypeError or RangeError names a wrong one); binds nothing yet. */
  constructor(options: ServerOptions) {
    super();
    checkServerOptions(options);
    this.#options = {
      alias: options.alias,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      channels: options.channels ?? [DEFAULT_CHANNEL],
      interface: options.interface ?? '127.0.0.1',
      ttl: options.ttl ?? 1,
      gossipInterval: options.gossipInterval ?? 5000,
      probes: options.probes ?? 3,
      probeInterval: options.probeInterval ?? 250,
      findWindow: options.findWindow ?? 5000,
      replayWindow: options.replayWindow ?? 5000,
      userExpiry: options.userExpiry ?? 120_000,
    };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#rates =
      options.rateLimits === false
        ? undefined
        : new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits });
    this.#alias = options.alias;
    this.#transport =
      options.transport ??
      udpTransport({
        host: this.#options.host,
        port: this.#options.port,
        interface: this.#options.interface,
        ttl: this.#options.ttl,
      });
    const ttl = SILENT_INTERVALS * this.#options.gossipInterval;
    this.registry = new Registry();
    this.directory = new Directory(ttl, this.limits.directory);
    this.neighbours = new Neighbours(ttl);
    this.#replay = new ReplayCache(this.#options.replayWindow);
    this.#ctx = this.#context(
      new SeenSet(this.#options.findWindow, this.limits.finds, () => this.counters.overLimit++),
    );
    this.#discovery = new Discovery(this.#ctx, (alias) => {
      this.#alias = alias;
      this.#saveState();
    });
    // Gossip names this server by its alias, so it waits until the alias is claimed.
    this.#gossip = new Gossip(this.#ctx, () => this.#discovery.claimed);
    this.#recovery = new Recovery(this.#ctx);
    this.#stateFile =
      options.state === undefined
        ? undefined
        : new StateFile(options.state, (error) => this.#ctx.emit('warning', error));
    this.#transport.on('datagram', (data, from) => {
      const trusted = sameEndpoint(from, this.self) || this.#known(from);
      if (!trusted) this.#credit.earn(from, data.length);
      const outer = this.#scope;
      this.#scope = { from, trusted };
      try {
        this.#dispatch(data, from);
      } finally {
        this.#scope = outer;
      }
    });
    this.#transport.on('error', (error) => this.#ctx.emit('error', error));
  }

  /** A registered user node or a neighbour server: answered without counting bytes. */
  #known(address: Endpoint): boolean {
    return this.registry.at(address) !== undefined || this.neighbours.isNeighbour(address);
  }

  #dispatch(data: Uint8Array, from: Endpoint): void {
    dispatch(
      this.#ctx,
      {
        discovery: this.#discovery,
        counters: this.counters,
        replay: this.#replay,
        rates: this.#rates,
        onOwnReply: (r) => this.#onOwnReply(r),
      },
      data,
      from,
    );
  }

  /** This server as it names itself on the wire. Available after `start()`. */
  get self(): Server {
    return serverAt(this.#alias, this.#transport.address);
  }

  /** The alias held now: the one asked for, or its renamed form after a collision. */
  get alias(): string {
    return this.#alias;
  }

  /**
   * Reads the state file (if any), binds, joins the channels and claims the alias (renaming on
   * collision). Resolves with the server's final identity once the alias is claimed; a server
   * with saved neighbours then calls its users home from them. If `signal` aborts first, the
   * server closes and the promise rejects with `signal.reason`.
   */
  async start(options: { signal?: AbortSignal } = {}): Promise<Server> {
    if (this.#started) throw new Error('server already started');
    this.#started = true;
    const { signal } = options;
    try {
      return await abortable(this.#start(), signal);
    } catch (error) {
      if (signal?.aborted) await this.close();
      throw error;
    }
  }

  async #start(): Promise<Server> {
    const saved = await this.#loadState();
    const channels = [...this.#options.channels];
    for (const channel of saved?.channels ?? []) {
      if (!channels.some((c) => sameEndpoint(c, channel))) channels.push(channel);
    }
    if (saved) this.#alias = saved.alias;
    await this.#transport.open();
    for (const channel of channels) await this.#transport.join(channel);
    this.#gossip.start();
    await this.#discovery.start();
    this.#saveState();
    if (saved && saved.neighbours.length > 0) this.#recovery.start(saved.neighbours);
    return this.self;
  }

  /** Stops; resolves once the socket is closed and the last state is on disk. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#discovery.stop();
    this.#gossip.stop();
    this.#recovery.stop();
    await this.#transport.close();
    await this.#stateFile?.flushed();
  }

  /** `await using server = createServer(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The state file, once every save requested so far is written. */
  async stateWritten(): Promise<string | undefined> {
    await this.#stateFile?.flushed();
    return this.#stateFile?.file;
  }

  async #loadState(): Promise<ServerState | undefined> {
    if (!this.#stateFile) return undefined;
    try {
      return await loadState(this.#stateFile.file);
    } catch (error) {
      this.#ctx.emit('warning', new Error(`${(error as Error).message}; starting without it`));
      return undefined;
    }
  }

  #saveState(): void {
    if (!this.#stateFile || !this.#discovery.claimed) return;
    this.#stateFile.save({
      format: 1,
      alias: this.#alias,
      channels: [...this.#transport.channels],
      neighbours: this.neighbours.list(),
    });
  }

  /** Multicast channels joined. */
  get channels(): readonly Endpoint[] {
    return this.#transport.channels;
  }

  /**
   * Invites another server onto a multicast channel with JOINCHANNEL (Section II.ii); on its +OK
   * this server joins too. Resolves with the answer's status; rejects when no answer comes within
   * `timeout` ms (default 2000), or with `signal.reason` when `signal` aborts first.
   */
  async inviteToChannel(
    server: Endpoint,
    channel: Endpoint,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<Status> {
    const { timeout = 2000, signal } = options;
    signal?.throwIfAborted();
    const command: ServerCommand = {
      kind: 'ServerCommand',
      sender: this.self,
      command: { verb: 'JOINCHANNEL', ip: channel.ip, port: channel.port },
    };
    const key = `${server.ip}:${server.port} ${channel.ip}:${channel.port}`;
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<ServerReply | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeout);
      this.#pendingJoins.set(key, resolve);
    });
    this.#ctx.send(command, server);
    const received = await abortable(answer, signal).finally(() => {
      clearTimeout(timer);
      this.#pendingJoins.delete(key);
    });
    if (!received) throw new Error(`no answer to JOINCHANNEL from ${key}`);
    if (received.status === '+OK') await this.#ctx.joinChannel(channel);
    return received.status;
  }

  /** Gossip now (normally it runs every `gossipInterval`). */
  gossipNow(): void {
    this.#gossip.tick();
  }

  #onOwnReply(r: ServerReply): void {
    if (r.command.kind !== 'ServerCommand') return;
    const command = r.command.command;
    if (command.verb === 'DISCOVER') {
      this.#discovery.onReply({ ...r, command: { ...r.command, command } });
    } else if (command.verb === 'PREFERRED') {
      this.#recovery.onReply({ ...r, command: { ...r.command, command } });
    } else if (command.verb === 'JOINCHANNEL') {
      this.#settleJoin(r, command);
    }
  }

  #settleJoin(r: ServerReply, command: JoinChannelCommand): void {
    const key = `${r.sender.ip}:${r.sender.port} ${command.ip}:${command.port}`;
    this.#pendingJoins.get(key)?.(r);
    this.#pendingJoins.delete(key);
  }

  /**
   * Whether a datagram to `to` may go out now (credit.ts): always, unless it is caused by a
   * datagram from an unknown source and goes to an address that is not ours to serve; then only
   * if that source's credit pays for it.
   */
  #affordable(to: Endpoint, bytes: number): boolean {
    const scope = this.#scope;
    if (!scope || scope.trusted || isMulticast(to.ip)) return true;
    // The source itself counts as known only if it was known when its datagram arrived.
    if (!sameEndpoint(to, scope.from) && this.#known(to)) return true;
    return this.#credit.spend(scope.from, bytes);
  }

  #context(finds: SeenSet): ServerContext {
    const server = this;
    const transport = this.#transport;
    const deliver = (packet: Packet, data: Uint8Array, to: Endpoint, options: SendOptions) => {
      if (!options.unmetered && !this.#affordable(to, data.length)) {
        this.counters.withheld++;
        return false;
      }
      this.counters.sent++;
      this.#replay.sent(packet, to);
      transport.send(data, to);
      this.emit('packetOut', packet, to);
      return true;
    };
    const send = (packet: Packet, to: Endpoint, options: SendOptions = {}) =>
      deliver(packet, encode(packet, options.padTo), to, options);
    // One encoding for many receivers: a room's fan-out serialized the same packet per member.
    const sendAll = (packet: Packet, targets: Iterable<Endpoint>, options: SendOptions = {}) => {
      const data = encode(packet, options.padTo);
      for (const to of targets) deliver(packet, data, to, options);
    };
    return {
      options: this.#options,
      limits: this.limits,
      counters: this.counters,
      get self() {
        return server.self;
      },
      registry: this.registry,
      directory: this.directory,
      rooms: this.rooms,
      neighbours: this.neighbours,
      finds,
      now: () => Date.now(),
      joinChannel: async (channel) => {
        await transport.join(channel);
        this.#saveState();
      },
      send,
      sendAll,
      broadcast: (packet, options) => sendAll(packet, transport.channels, options),
      withScope: () => {
        const scope = this.#scope;
        return (fn) => {
          const outer = this.#scope;
          this.#scope = scope;
          try {
            fn();
          } finally {
            this.#scope = outer;
          }
        };
      },
      reply: (command: Command, status: Status, lists?: ReplyLists) => {
        return send(reply(server.self, status, command, lists), command.sender);
      },
      emit: (event, ...args) => {
        // An unheard 'error' must not take the server down: it becomes a process warning.
        if (event === 'error' && this.listenerCount('error') === 0) {
          process.emitWarning(args[0] as Error);
          return;
        }
        (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
      },
      sendNeighboursTo: (user: UserNode) => {
        const sender = server.self;
        send(
          {
            kind: 'ServerCommand',
            sender,
            command: { verb: 'KNOWNSERVERS', servers: this.neighbours.list() },
          },
          user,
        );
      },
      gossipSoon: () => this.#gossip.soon(),
      neighboursChanged: () => {
        for (const r of this.registry.all()) this.#ctx.sendNeighboursTo(r.user);
        this.#gossip.soon();
        this.#saveState();
      },
      aliasClash: (other, heardDirectly) => this.#discovery.clash(other, heardDirectly),
      greet: (other) => this.#discovery.greet(other),
      isAlive: (other) => this.#discovery.isAlive(other),
    };
  }
}

/** Creates a server; call `start()` to bring it up. */
export function createServer(options: ServerOptions): ChatServer {
  return new ChatServer(options);
}
