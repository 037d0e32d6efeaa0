/**
 * A server's parts, built in one place for the ChatServer and for tests of the parts on their
 * own: the context (options, state owners, outbox), the mechanisms in the order they need one
 * another (Liveness, which Gossip and Discovery ask; RoomRelay, which Gossip ticks; Gossip, which Discovery tells; Discovery;
 * Recovery; Channels), and the dispatcher that hands every datagram to its handler (verbs.ts).
 */
import type { Server } from '../../ast.ts';
import type { Transport } from '../transport.ts';
import { Channels } from './channels.ts';
import { Collisions } from './collisions.ts';
import { Contests } from './contests.ts';
import type { ServerContext } from './context.ts';
import { zeroCounters } from './counters.ts';
import { Directory } from './directory.ts';
import { Discovery } from './discovery.ts';
import { Dispatcher } from './dispatch.ts';
import { Gossip } from './gossip.ts';
import type { HandlerContext } from './handlers/types.ts';
import { KnownServers } from './known-servers.ts';
import { RateLimiter } from './limits.ts';
import { Liveness } from './liveness.ts';
import { Neighbours } from './neighbours.ts';
import type { ResolvedServerOptions } from './options.ts';
import { Outbox } from './outbox.ts';
import { Recovery } from './recovery.ts';
import { Registry } from './registry.ts';
import { ReplayCache } from './replay.ts';
import { RoomRelay } from './room-relay.ts';
import { Rooms } from './rooms.ts';
import { SeenSet } from './seen-set.ts';
import { SendOutcomes } from './send-outcomes.ts';

/** Missed gossip intervals after which a neighbour or a directory entry is dropped. */
const SILENT_INTERVALS = 3;

/** What the parts need from whoever holds them (the ChatServer, or a test). */
export interface ServerHost {
  /** Where datagrams go; opened, joined and closed by the holder. */
  readonly transport: Transport;
  /** This server as it names itself on the wire now. */
  self(): Server;
  /** Discovery took another alias after a collision: the holder records it (and saves it). */
  rename(alias: string): void;
  /** The channels or neighbours changed: the holder writes its state file, if it has one. */
  save(): void;
  /** Reports an event (events.ts). */
  emit: ServerContext['emit'];
}

export interface ServerParts {
  /** The context every handler gets, the mechanisms included. */
  readonly ctx: HandlerContext;
  /** Hand it every datagram the transport receives. */
  readonly dispatcher: Dispatcher;
}

export function buildServerParts(options: ResolvedServerOptions, host: ServerHost): ServerParts {
  const { limits, rateLimits, clock } = options;
  const silence = SILENT_INTERVALS * options.gossipInterval;
  const counters = zeroCounters();
  const registry = new Registry();
  const neighbours = new Neighbours(silence);
  const outbox = new Outbox({
    transport: host.transport,
    counters,
    sent: rateLimits?.sent,
    addresses: rateLimits?.sources ?? 1,
    credits: limits.credits,
    now: () => clock.now(),
    self: () => host.self(),
    isKnown: (address) => registry.at(address) !== undefined || neighbours.isNeighbour(address),
    isNeighbour: (address) => neighbours.isNeighbour(address),
    packetOut: (packet, to) => host.emit('packetOut', packet, to),
    answering: (packet, cause) => dispatcher.answering(packet, cause),
  });
  const shared: ServerContext = {
    options,
    counters,
    get self() {
      return host.self();
    },
    registry,
    directory: new Directory(silence, limits.directory),
    contests: new Contests(),
    rooms: new Rooms(limits.roomMembers),
    neighbours,
    knownServers: new KnownServers(silence, limits.knownServers),
    relayed: new SeenSet(options.relayWindow, limits.relays, () => counters.overLimit++),
    sendOutcomes: new SendOutcomes(clock),
    outbox,
    clock,
    emit: host.emit,
  };
  const liveness = new Liveness(shared);
  const roomRelay = new RoomRelay(shared, silence);
  // Gossip names this server by its alias, so it waits until the alias is claimed.
  const gossip: Gossip = new Gossip(shared, () => discovery.claimed, host.save, liveness, roomRelay);
  const discovery: Discovery = new Discovery(shared, liveness, gossip, host.rename);
  const mechanisms = {
    liveness,
    roomRelay,
    gossip,
    discovery,
    recovery: new Recovery(shared),
    channels: new Channels(shared, host.transport, host.save),
    collisions: new Collisions(shared),
  };
  // The same object, so mechanisms and handlers see one context (and `self` stays a getter).
  const ctx: HandlerContext = Object.assign(shared, mechanisms);
  const dispatcher = new Dispatcher(
    ctx,
    new ReplayCache(options.replayWindow, limits.replies),
    rateLimits && new RateLimiter(rateLimits),
  );
  return { ctx, dispatcher };
}
