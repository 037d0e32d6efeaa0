import type { SCommand, ServerCommand, UCommand, UserCommand } from '../../../ast.ts';
import type { Channels } from '../channels.ts';
import type { Collisions } from '../collisions.ts';
import type { ServerContext } from '../context.ts';
import type { Discovery } from '../discovery.ts';
import type { Gossip } from '../gossip.ts';
import type { Inbound } from '../inbound.ts';
import type { Liveness } from '../liveness.ts';
import type { Recovery } from '../recovery.ts';
import type { Registration } from '../registry.ts';
import type { RoomRelay } from '../room-relay.ts';

/** The member of a command union whose `verb` admits V, narrowed to V. */
type WithVerb<C, V> = C extends { verb: infer W } ? (V extends W ? C & { verb: V } : never) : never;

export type UserPacket<V extends UCommand['verb']> = UserCommand & { command: WithVerb<UCommand, V> };
export type ServerPacket<V extends SCommand['verb']> = ServerCommand & { command: WithVerb<SCommand, V> };
export type FindPacket = UserPacket<'FIND'>;

/**
 * What a handler works with: the shared context and the mechanisms it hands work to, each built
 * once per server (parts.ts).
 */
export interface HandlerContext extends ServerContext {
  /** Does a server still answer (a unicast DISCOVER). */
  readonly liveness: Liveness;
  /** Rooms across the network: what our members do, told to the network, and what other servers' members do. */
  readonly roomRelay: RoomRelay;
  /** KNOWNUSERS and KNOWNSERVERS: what is told, to whom and when. */
  readonly gossip: Gossip;
  /** Claiming our alias, greeting and taking neighbours. */
  readonly discovery: Discovery;
  /** Calling our users home after a restart. */
  readonly recovery: Recovery;
  /** JOINCHANNEL, both sides. */
  readonly channels: Channels;
  /** Two other servers seen holding one alias: each is told of the other. */
  readonly collisions: Collisions;
}

/** A user command from a user node registered here under an alias it holds: its registration too. */
export interface RegisteredInbound extends Inbound {
  readonly registration: Registration;
}

/** Every handler has this shape: the context, the packet, the datagram it came in. */
export type Handler<P, I extends Inbound = Inbound> = (ctx: HandlerContext, packet: P, inbound: I) => void;

/** A user command from a registered user (PREFERRED excepted: it is how users register). */
export type UserHandler<V extends UCommand['verb']> = Handler<UserPacket<V>, RegisteredInbound>;

/** A user command from any user node at the address it names, or passed on by a neighbour server. */
export type OpenUserHandler<V extends UCommand['verb']> = Handler<UserPacket<V>>;

/** A server command, from the server at the address it names. */
export type ServerHandler<V extends SCommand['verb']> = Handler<ServerPacket<V>>;
