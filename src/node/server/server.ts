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
import { channelRefusal } from './channels.ts';
import type { ServerCounters } from './counters.ts';
import type { Directory } from './directory.ts';
import type { ServerEvents } from './events.ts';
import { PrivateGroup } from './group.ts';
import type { HandlerContext } from './handlers/types.ts';
import type { ServerLimits } from './limits.ts';
import type { Neighbours } from './neighbours.ts';
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from './options.ts';
import { buildServerParts } from './parts.ts';
import type { Registry } from './registry.ts';
import type { Rooms } from './rooms.ts';
import { type ServerState, StateFile, StateFileError, type StateStore } from './state.ts';

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
  readonly #ctx: HandlerContext;
  readonly #stateFile: StateStore | undefined;
  #alias: string;
  #started = false;
  #closed = false;
  /** The bounds in force: DEFAULT_LIMITS with the `limits` option over them. */
  readonly limits: ServerLimits;
  /** Datagram counts, for monitoring. */
  readonly counters: ServerCounters;
  /** @internal The users hosted here: inspection for tests, not a stable API. */
  readonly registry: Registry;
  /** @internal Who is where, from gossip: inspection for tests, not a stable API. */
  readonly directory: Directory;
  /** @internal The rooms hosted here: inspection for tests, not a stable API. */
  readonly rooms: Rooms;
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
    const { ctx, dispatcher } = buildServerParts(resolved, {
      transport: this.#transport,
      self: () => this.self,
      rename: (alias) => {
        this.#alias = alias;
        this.#saveState();
      },
      save: () => this.#saveState(),
      emit: (event, ...args) => this.#report(event, ...args),
    });
    this.#ctx = ctx;
    ({ counters: this.counters, registry: this.registry, directory: this.directory } = ctx);
    ({ rooms: this.rooms, neighbours: this.neighbours } = ctx);
    this.#stateFile =
      typeof resolved.state === 'string'
        ? new StateFile(resolved.state, (error) => this.#ctx.emit('warning', error))
        : resolved.state;
    const group = resolved.group;
    if (group) {
      const invitations = new PrivateGroup(group, {
        invite: (server, channel) => this.inviteToChannel(server, channel),
        isNeighbour: (server) => this.neighbours.isNeighbour(server),
        later: (run, ms) => {
          this.#ctx.clock.setTimeout(() => this.#closed || run(), ms).unref();
        },
        retryAfter: resolved.probeInterval,
        warn: (error) => this.#ctx.emit('warning', error),
      });
      this.on('neighbourFound', (server) => invitations.onNeighbour(server));
    }
    this.#transport.on('datagram', (data, from) => dispatcher.receive(data, from));
    this.#transport.on('error', (error) => this.#ctx.emit('error', error));
  }

  /** An event of the parts, as this server's own; an `error` nobody listens for is reported, not thrown. */
  #report<E extends keyof ServerEvents>(event: E, ...args: ServerEvents[E]): void {
    if (event === 'error') reportUnheard(this, 'error', args[0] as Error);
    else (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
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
    // A server that leaves its channels when invited elsewhere stays where the invitation put it.
    const moved = this.#options.leaveOnInvite && (saved?.channels.length ?? 0) > 0;
    const channels = moved ? [] : [...this.#options.channels];
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
    if (channels.length === 0) channels.push(...this.#options.channels);
    if (saved) this.#alias = saved.alias;
    await this.#transport.open();
    for (const channel of channels) await this.#transport.join(channel);
    this.#ctx.gossip.start();
    await this.#ctx.discovery.start();
    this.#saveState();
    if (saved && saved.neighbours.length > 0) this.#ctx.recovery.start(saved.neighbours);
    return this.self;
  }

  /** Stops; resolves once the socket is closed and the last state is on disk. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { discovery, liveness, gossip, recovery, channels, sendOutcomes } = this.#ctx;
    discovery.stop();
    liveness.stop();
    gossip.stop();
    recovery.stop();
    channels.stop();
    sendOutcomes.stop();
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
    return this.#stateFile instanceof StateFile ? this.#stateFile.file : undefined;
  }

  async #loadState(): Promise<ServerState | undefined> {
    if (!this.#stateFile) return undefined;
    try {
      return await this.#stateFile.load();
    } catch (error) {
      if (error instanceof StateFileError && error.fatal) throw error;
      this.#ctx.emit('warning', new Error(`${(error as Error).message}; starting without it`));
      return undefined;
    }
  }

  #saveState(): void {
    if (!this.#stateFile || !this.#ctx.discovery.claimed) return;
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
    return this.#ctx.channels.invite(server, channel, {
      timeout: options.timeout ?? 2000,
      signal: options.signal,
    });
  }

  /** Gossip now (normally it runs every `gossipInterval`). */
  gossipNow(): void {
    this.#ctx.gossip.tick();
  }
}

/** Creates a server; call `start()` to bring it up. */
export function createServer(options: ServerOptions): ChatServer {
  return new ChatServer(options);
}
