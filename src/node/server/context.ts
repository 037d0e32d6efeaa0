/**
 * What every mechanism and handler of a server shares: the options, the state owners and the
 * outbox. Mechanisms that need one another get each other through their constructors; handlers
 * reach the mechanisms through the handler context (handlers/types.ts). Built by parts.ts.
 */
import type { Server } from '../../ast.ts';
import type { Clock } from '../clock.ts';
import type { Contests } from './contests.ts';
import type { ServerCounters } from './counters.ts';
import type { Directory } from './directory.ts';
import type { ServerEvents } from './events.ts';
import type { KnownServers } from './known-servers.ts';
import type { Neighbours } from './neighbours.ts';
import type { ResolvedServerOptions } from './options.ts';
import type { Outbox } from './outbox.ts';
import type { Registry } from './registry.ts';
import type { Rooms } from './rooms.ts';
import type { SeenSet } from './seen-set.ts';
import type { SendOutcomes } from './send-outcomes.ts';

export interface ServerContext {
  /** Every option with its default filled in; `options.limits` are the bounds in force. */
  readonly options: ResolvedServerOptions;
  readonly counters: ServerCounters;
  /** This server as it names itself on the wire: current alias, bound address. */
  readonly self: Server;
  /** The user nodes registered here. */
  readonly registry: Registry;
  /** Who is where, from other servers' KNOWNUSERS. */
  readonly directory: Directory;
  /** Claims on an alias being settled: what waits for them. */
  readonly contests: Contests;
  readonly rooms: Rooms;
  /** Servers that exchanged DISCOVER with this one. */
  readonly neighbours: Neighbours;
  /** Which server holds which alias, from DISCOVER and KNOWNSERVERS: what collisions are checked against. */
  readonly knownServers: KnownServers;
  /** Relayed FINDs and SENDs seen, so each is relayed once. */
  readonly relayed: SeenSet;
  /** SENDs passed on, awaiting the answers of the servers they went to. */
  readonly sendOutcomes: SendOutcomes;
  readonly outbox: Outbox;
  /** The time and timers: the only ones the server uses. */
  readonly clock: Clock;
  emit<E extends keyof ServerEvents>(event: E, ...args: ServerEvents[E]): void;
}
