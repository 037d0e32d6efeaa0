/**
 * The reference network: servers and user nodes over UDP and multicast, or any Transport.
 * @packageDocumentation
 */
export { type Clock, systemClock, type Timer, VirtualClock, type VirtualClockOptions } from './clock.ts';

export { MemoryNetwork, type MemoryNetworkOptions, type MemoryNetworkStats } from './memory.ts';
export { type NatsTransport, type NatsTransportOptions, natsTransport } from './nats/nats-transport.ts';
export { DEFAULT_NATS_SETTINGS, type NatsConnectionSettings } from './nats/settings.ts';
export type { ServerCounters } from './server/counters.ts';
export type { ServerEvents } from './server/events.ts';
export type { PrivateGroupOptions } from './server/group.ts';
export {
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  type RateBudget,
  type RateLimits,
  type ServerLimits,
} from './server/limits.ts';
export { DEFAULT_CHANNEL, DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server/options.ts';
export { ChatServer, createServer } from './server/server.ts';
export type { ServerState, StateStore } from './server/state.ts';
export type { Endpoint, Transport, TransportEvents } from './transport.ts';
export { type UdpTransportOptions, udpTransport } from './udp.ts';
export { RequestError, type RequestErrorCode } from './user/errors.ts';
export type {
  ChatMessage,
  Location,
  RequestOptions,
  RoomChange,
  RoomNotice,
  SendResult,
  UserEvents,
} from './user/events.ts';
export { DEFAULT_USER_OPTIONS, type UserNodeOptions } from './user/options.ts';
export type { SessionEvent, SessionStateName } from './user/session-table.ts';
export { ChatUser, createUserNode } from './user/user.ts';
