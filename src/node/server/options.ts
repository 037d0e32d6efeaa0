import type { Endpoint, Transport } from '../transport.ts';
import type { RateLimits, ServerLimits } from './limits.ts';

/** Options of `createServer`. Times are in milliseconds. */
export interface ServerOptions {
  /** The alias to claim; renamed (alpha -> alpha2) if another server holds it. */
  alias: string;
  /** Unicast address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Unicast port; 0 picks a free one. Default 0. */
  port?: number;
  /** Multicast channels to join. Default `[{ ip: '230.0.0.1', port: 8450 }]`. */
  channels?: Endpoint[];
  /** Interface multicast is sent and joined on. Default `127.0.0.1`: nothing leaves this host. */
  interface?: string;
  /** Multicast TTL. Default 1. */
  ttl?: number;
  /** How often KNOWNUSERS and KNOWNSERVERS are multicast. Default 5000. */
  gossipInterval?: number;
  /** DISCOVER probes sent per alias claim. Default 3. */
  probes?: number;
  /** Time between probes, and after the last one before the alias is taken. Default 250. */
  probeInterval?: number;
  /** How long a FIND is remembered so it is answered and forwarded at most once. Default 5000. */
  findWindow?: number;
  /**
   * How long a user request is remembered so that an identical repeat (a retry after a lost
   * reply) is answered again but not acted on again. Default 5000.
   */
  replayWindow?: number;
  /**
   * A registered user that sends nothing for this long is dropped, as if it had sent EXIT (user
   * nodes' keep-alives keep live users well inside it). Checked every `gossipInterval`. Default
   * 120000 (two minutes).
   */
  userExpiry?: number;
  /** Bounds on what the network can make this server hold; see DEFAULT_LIMITS. */
  limits?: Partial<ServerLimits>;
  /** Datagrams per second per source address; see DEFAULT_RATE_LIMITS. `false` turns limiting off. */
  rateLimits?: Partial<RateLimits> | false;
  /** A transport to use instead of UDP sockets (e.g. an in-memory network). */
  transport?: Transport;
  /**
   * File the alias, channels and neighbours are saved to whenever they change (atomically). On
   * start, a saved state replaces `alias`, adds its channels, and its neighbours are asked to send
   * this server's users home (Section II.v). An unusable file is reported and the server starts fresh.
   */
  state?: string;
}

/** The protocol's well-known discovery channel, 230.0.0.1:8450 (Section II). */
export const DEFAULT_CHANNEL: Endpoint = { ip: '230.0.0.1', port: 8450 };
