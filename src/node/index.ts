/**
 * The reference network: servers and user nodes over UDP and multicast, or any Transport.
 * @packageDocumentation
 */
export { MemoryNetwork, type MemoryNetworkOptions, type MemoryNetworkStats } from './memory.ts';
export type { ServerEvents } from './server/context.ts';
export type { ServerCounters } from './server/dispatch.ts';
export {
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  type RateBudget,
  type RateLimits,
  type ServerLimits,
} from './server/limits.ts';
export { DEFAULT_CHANNEL, type ServerOptions } from './server/options.ts';
export { ChatServer, createServer } from './server/server.ts';
export type { Endpoint, Transport, TransportEvents } from './transport.ts';
export { type UdpTransportOptions, udpTransport } from './udp.ts';
export { RequestError, type RequestErrorCode } from './user/errors.ts';
export {
  type ChatMessage,
  ChatUser,
  createUserNode,
  type Location,
  type RequestOptions,
  type UserEvents,
  type UserNodeOptions,
} from './user/user.ts';
