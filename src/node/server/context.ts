/** What every handler and mechanism of a server works with. */
import type { Command, Packet, Server, Status, UserNode } from '../../ast.ts';
import type { Endpoint } from '../transport.ts';
import type { ReplyLists } from '../wire.ts';
import type { Directory } from './directory.ts';
import type { ServerCounters } from './dispatch.ts';
import type { SeenSet } from './find.ts';
import type { ServerLimits } from './limits.ts';
import type { Neighbours } from './neighbours.ts';
import type { ServerOptions } from './options.ts';
import type { Registry } from './registry.ts';
import type { Rooms } from './rooms.ts';

/** What a server reports; `server.on('userAttached', (user) => ...)` is typed by this map. */
export interface ServerEvents {
  /** A server became a neighbour (answered our DISCOVER, or we answered its). */
  neighbourFound: [server: Server];
  /** A neighbour fell silent for three gossip intervals. */
  neighbourLost: [server: Server];
  /** A user node registered with PREFERRED. */
  userAttached: [user: UserNode];
  /** A user node sent EXIT. */
  userLeft: [user: UserNode];
  /**
   * SETALIAS (`renamed`: `alias` is the old name), ALIAS (`added`) or REMOVE (`removed`) took
   * effect; `user` is the user as it is now.
   */
  userAliasChanged: [user: UserNode, change: 'renamed' | 'added' | 'removed', alias: string];
  /** A user node sent nothing for `userExpiry` ms and was dropped; `silentFor` in ms. */
  userExpired: [user: UserNode, silentFor: number];
  /** Recovery: an old neighbour hosts this user, who prefers us; we sent it PREFERRED. */
  userCalledHome: [user: UserNode, via: Server];
  /** Our alias was refused (or lost a tie-break) and a new one is being probed. */
  aliasChanged: [from: string, to: string];
  /** Alias probing finished: the alias is ours. */
  ready: [server: Server];
  /** A packet arrived and parsed, before any check: for tracing and tools. */
  packetIn: [packet: Packet, from: Endpoint];
  /** A packet is being sent (once per destination). */
  packetOut: [packet: Packet, to: Endpoint];
  /** Something undecodable or refused arrived; the server carries on. */
  warning: [warning: Error];
  /** A socket problem the server survived. */
  error: [error: Error];
}

export interface SendOptions {
  /** Pad the datagram with trailing spaces to this many bytes (credit.ts says why). */
  padTo?: number;
  /** Our own probe, not an answer to the datagram being handled: never paid from credit. */
  unmetered?: boolean;
}

export interface ServerContext {
  readonly options: Required<Omit<ServerOptions, 'transport' | 'state' | 'limits' | 'rateLimits'>>;
  readonly limits: ServerLimits;
  readonly counters: ServerCounters;
  /** This server as it names itself on the wire: current alias, bound address. */
  readonly self: Server;
  readonly registry: Registry;
  readonly directory: Directory;
  readonly rooms: Rooms;
  readonly neighbours: Neighbours;
  readonly finds: SeenSet;
  now(): number;
  /** Starts listening on another multicast channel. */
  joinChannel(channel: Endpoint): Promise<void>;
  /** False when the datagram was withheld for want of credit (credit.ts). */
  send(packet: Packet, to: Endpoint, options?: SendOptions): boolean;
  /** Sends one packet to each of `targets`, encoding it once (a room's fan-out). */
  sendAll(packet: Packet, targets: Iterable<Endpoint>, options?: SendOptions): void;
  /** Multicasts on every joined channel. */
  broadcast(packet: Packet, options?: SendOptions): void;
  /**
   * The datagram being handled, captured for work that finishes later (after a liveness check,
   * a channel join): `later(fn)` runs `fn` as if still handling it, so what `fn` sends is paid
   * from the same source's credit (credit.ts).
   */
  withScope(): (fn: () => void) => void;
  /** Replies to a command at the address its sender field names; false when withheld, as `send`. */
  reply(command: Command, status: Status, lists?: ReplyLists): boolean;
  emit<E extends keyof ServerEvents>(event: E, ...args: ServerEvents[E]): void;
  /** The user's failover list changed or it just registered: tell it our neighbours. */
  sendNeighboursTo(user: UserNode): void;
  /** Something gossip carries changed: send it now rather than at the next tick. */
  gossipSoon(): void;
  /** A neighbour joined or left: tell every attached user, gossip, save the state. */
  neighboursChanged(): void;
  /**
   * Gossip showed `other` using our alias at another address (two partitions merged):
   * `heardDirectly` when `other` sent it, false when another server listed it.
   */
  aliasClash(other: Server, heardDirectly: boolean): void;
  /** A server gossips on our channel but is no neighbour (it came back, or a partition healed). */
  greet(server: Server): void;
  /** Whether a server answers at its address: one unicast DISCOVER, `probeInterval` to answer. */
  isAlive(server: Server): Promise<boolean>;
}
