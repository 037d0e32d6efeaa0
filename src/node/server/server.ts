/**
 * The reference server: `createServer(options)` gives a ChatServer that claims its alias by
 * DISCOVER, gossips, answers user nodes and relays FIND and SEND between servers.
 */
import { EventEmitter } from 'node:events';
import type { Server, Status } from '../../ast.ts';
import { abortable } from '../abort.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { reportUnheard } from '../unheard.ts';
import { serverAt } from '../wire.ts';
import { Channels, channelRefusal } from './channels.ts';
import type { ServerContext } from './context.ts';
import { type ServerCounters, zeroCounters } from './counters.ts';
import { Directory } from './directory.ts';
import { Discovery } from './discovery.ts';
import { Dispatcher } from './dispatch.ts';
import type { ServerEvents } from './events.ts';
import { Gossip } from './gossip.ts';
import { KnownServers } from './known-servers.ts';
import { RateLimiter, type ServerLimits } from './limits.ts';
import { Liveness } from './liveness.ts';
import { Neighbours } from './neighbours.ts';
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.ts';
import { Outbox } from './outbox.ts';
import { Recovery } from './recovery.ts';
import { Registry } from './registry.ts';
import { ReplayCache } from './replay.ts';
import { Rooms } from './rooms.ts';
import { SeenSet } from './seen-set.ts';
import { loadState, type ServerState, StateFile, StateFileError } from './state.ts';
import { verbTable } from './verbs.ts';

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
  readonly #options: ResolvedServerOptions;
  readonly #transport: Transport;
  readonly #ctx: ServerContext;
  readonly #discovery: Discovery;
  readonly #liveness: Liveness;
  readonly #gossip: Gossip;
  readonly #recovery: Recovery;
  readonly #channels: Channels;
  readonly #stateFile: StateFile | undefined;
  #alias: string;
  #started = false;
  #closed = false;
  /** The bounds in force: DEFAULT_LIMITS with the `limits` option over them. */
  readonly limits: ServerLimits;
  /** Datagram counts, for monitoring. */
  readonly counters: ServerCounters = zeroCounters();
  /** @internal The users hosted here: inspection for tests, not a stable API. */
  readonly registry = new Registry();
  /** @internal Who is where, from gossip: inspection for tests, not a stable API. */
  readonly directory: Directory;
  /** @internal The rooms hosted here: inspection for tests, not a stable API. */
  readonly rooms = new Rooms();
  /** @internal Neighbour servers: inspection for tests, not a stable API. */
  readonly neighbours: Neighbours;

  /** Checks the options (a TypeError or RangeError names a wrong one); binds nothing yet. */
  constructor(options: ServerOptions) {
    super();
    const resolved = resolveServerOptions(options);
    this.#options = resolved;
    this.limits = resolved.limits;
    this.#alias = resolved.alias;
    this.#transport =
      resolved.transport ??
      udpTransport({
        host: resolved.host,
        port: resolved.port,
        interface: resolved.interface,
        ttl: resolved.ttl,
      });
    const ttl = SILENT_INTERVALS * resolved.gossipInterval;
    this.directory = new Directory(ttl, this.limits.directory);
    this.neighbours = new Neighbours(ttl);
    const outbox = new Outbox({
      transport: this.#transport,
      counters: this.counters,
      sent: resolved.rateLimits?.sent,
      addresses: resolved.rateLimits?.sources ?? 1,
      now: () => Date.now(),
      self: () => this.self,
      isKnown: (address) => this.registry.at(address) !== undefined || this.neighbours.isNeighbour(address),
      isNeighbour: (address) => this.neighbours.isNeighbour(address),
      packetOut: (packet, to) => this.emit('packetOut', packet, to),
    });
    this.#ctx = this.#context(outbox);
    const save = () => this.#saveState();
    this.#liveness = new Liveness(this.#ctx);
    // Gossip names this server by its alias, so it waits until the alias is claimed.
    this.#gossip = new Gossip(this.#ctx, () => this.#discovery.claimed, save, this.#liveness);
    this.#discovery = new Discovery(this.#ctx, this.#liveness, this.#gossip, (alias) => {
      this.#alias = alias;
      this.#saveState();
    });
    this.#recovery = new Recovery(this.#ctx);
    this.#channels = new Channels(this.#ctx, this.#transport, save);
    const dispatcher = new Dispatcher(
      this.#ctx,
      verbTable({
        discovery: this.#discovery,
        liveness: this.#liveness,
        gossip: this.#gossip,
        recovery: this.#recovery,
        channels: this.#channels,
      }),
      new ReplayCache(resolved.replayWindow),
      resolved.rateLimits && new RateLimiter(resolved.rateLimits),
    );
    this.#stateFile =
      resolved.state === undefined
        ? undefined
        : new StateFile(resolved.state, (error) => this.#ctx.emit('warning', error));
    this.#transport.on('datagram', (data, from) => dispatcher.receive(data, from));
    this.#transport.on('error', (error) => this.#ctx.emit('error', error));
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
      // Whatever stopped the start (an abort, a port in use, an unusable state file), nothing
      // stays bound: a process whose server could not start can end.
      await this.close();
      throw error;
    }
  }

  async #start(): Promise<Server> {
    const saved = await this.#loadState();
    const channels = [...this.#options.channels];
    for (const channel of saved?.channels ?? []) {
      if (channels.some((c) => sameEndpoint(c, channel))) continue;
      const refusal = channelRefusal(channel);
      if (refusal) {
        // A channel JOINCHANNEL would refuse is left out, as if it had never been saved.
        const where = `${channel.ip}:${channel.port}`;
        this.#ctx.emit('warning', new Error(`state file: channel ${where} left out: ${refusal}`));
        continue;
      }
      if (channels.length >= this.limits.channels) {
        this.#ctx.emit(
          'warning',
          new Error(`state file: channels beyond limits.channels (${this.limits.channels}) not joined`),
        );
        break;
      }
      channels.push(channel);
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
    this.#liveness.stop();
    this.#gossip.stop();
    this.#recovery.stop();
    this.#channels.stop();
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
      if (error instanceof StateFileError && error.fatal) throw error;
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
  inviteToChannel(
    server: Endpoint,
    channel: Endpoint,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<Status> {
    return this.#channels.invite(server, channel, {
      timeout: options.timeout ?? 2000,
      signal: options.signal,
    });
  }

  /** Gossip now (normally it runs every `gossipInterval`). */
  gossipNow(): void {
    this.#gossip.tick();
  }

  #context(outbox: Outbox): ServerContext {
    const server = this;
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
      knownServers: new KnownServers(
        SILENT_INTERVALS * this.#options.gossipInterval,
        this.limits.knownServers,
      ),
      relayed: new SeenSet(this.#options.relayWindow, this.limits.relays, () => this.counters.overLimit++),
      outbox,
      now: () => Date.now(),
      emit: (event, ...args) => {
        if (event === 'error') reportUnheard(this, 'error', args[0] as Error);
        else (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
      },
    };
  }
}

/** Creates a server; call `start()` to bring it up. */
export function createServer(options: ServerOptions): ChatServer {
  return new ChatServer(options);
}
