/**
 * Everything a server can be told, its defaults in one object (anchor: memberlist's
 * `DefaultLANConfig()`), and the checks that make a wrong option fail at once. The CLI takes its
 * defaults from here too.
 */

import { OptionChecker } from '../check-options.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Endpoint, LOOPBACK, type Transport } from '../transport.ts';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMITS, type RateLimits, type ServerLimits } from './limits.ts';

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
  /**
   * How long a relayed request (a FIND, or a SEND passed between servers) is remembered, so each
   * server answers and passes it on at most once. Default 5000.
   */
  relayWindow?: number;
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
  /** The time and timers. Default: the transport's own clock if it has one, else the system clock. */
  clock?: Clock;
  /**
   * File the alias, channels and neighbours are saved to whenever they change (atomically). On
   * start, a saved state replaces `alias`, adds its channels, and its neighbours are asked to send
   * this server's users home (Section II.v). An invalid file is reported and the server starts
   * fresh; one it must not overwrite (a newer format, a symbolic link) makes `start()` reject.
   */
  state?: string;
}

/** The protocol's well-known discovery channel, 230.0.0.1:8450 (Section II). */
export const DEFAULT_CHANNEL: Endpoint = { ip: '230.0.0.1', port: 8450 };

/** Every default of a server's options, in one place. */
export const DEFAULT_SERVER_OPTIONS = {
  /** Unicast address: this host only. */
  host: LOOPBACK,
  /** Any free port. */
  port: 0,
  /** The well-known discovery channel. */
  channels: [DEFAULT_CHANNEL] as readonly Endpoint[],
  /** Multicast stays on this host. */
  interface: LOOPBACK,
  /** Multicast goes no further than the local link. */
  ttl: 1,
  /** Milliseconds between rounds of KNOWNUSERS and KNOWNSERVERS. */
  gossipInterval: 5000,
  /** DISCOVERs per alias claim. */
  probes: 3,
  /** Milliseconds between probes. */
  probeInterval: 250,
  /** Milliseconds a relayed FIND or SEND is remembered. */
  relayWindow: 5000,
  /** Milliseconds a user request is remembered for its retries. */
  replayWindow: 5000,
  /** Milliseconds of silence after which a registered user is dropped. */
  userExpiry: 120_000,
} as const;

/** A server's options with every default filled in. */
export interface ResolvedServerOptions {
  alias: string;
  host: string;
  port: number;
  channels: readonly Endpoint[];
  interface: string;
  ttl: number;
  gossipInterval: number;
  probes: number;
  probeInterval: number;
  relayWindow: number;
  replayWindow: number;
  userExpiry: number;
  limits: ServerLimits;
  /** Undefined when rate limiting is off. */
  rateLimits: RateLimits | undefined;
  transport: Transport | undefined;
  clock: Clock;
  state: string | undefined;
}

/** Checks `options` (a TypeError or RangeError names a wrong one) and fills in the defaults. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  checkServerOptions(options);
  const d = DEFAULT_SERVER_OPTIONS;
  return {
    alias: options.alias,
    host: options.host ?? d.host,
    port: options.port ?? d.port,
    channels: options.channels ?? d.channels,
    interface: options.interface ?? d.interface,
    ttl: options.ttl ?? d.ttl,
    gossipInterval: options.gossipInterval ?? d.gossipInterval,
    probes: options.probes ?? d.probes,
    probeInterval: options.probeInterval ?? d.probeInterval,
    relayWindow: options.relayWindow ?? d.relayWindow,
    replayWindow: options.replayWindow ?? d.replayWindow,
    userExpiry: options.userExpiry ?? d.userExpiry,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    rateLimits: options.rateLimits === false ? undefined : { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    transport: options.transport,
    clock: options.clock ?? options.transport?.clock ?? systemClock,
    state: options.state,
  };
}

function checkServerOptions(options: ServerOptions): void {
  const check = new OptionChecker('createServer');
  check.object('options', options);
  check.alias('alias', options.alias);
  check.ipv4('host', options.host);
  check.port('port', options.port);
  check.ipv4('interface', options.interface);
  check.integer('ttl', options.ttl, 0, 255);
  if (options.channels !== undefined) {
    if (!Array.isArray(options.channels) || options.channels.length === 0) {
      check.fail('type', 'channels', 'a non-empty array of { ip, port }', options.channels);
    }
    options.channels.forEach((channel, i) => {
      check.channel(`channels[${i}]`, channel);
    });
  }
  check.milliseconds('gossipInterval', options.gossipInterval);
  check.integer('probes', options.probes, 1);
  check.milliseconds('probeInterval', options.probeInterval);
  check.milliseconds('relayWindow', options.relayWindow);
  check.milliseconds('replayWindow', options.replayWindow);
  check.milliseconds('userExpiry', options.userExpiry);
  if (options.limits !== undefined) {
    check.object('limits', options.limits);
    for (const [key, value] of Object.entries(options.limits)) {
      if (!(key in DEFAULT_LIMITS))
        check.fail('type', `limits.${key}`, `one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`, key);
      check.integer(`limits.${key}`, value, 1);
    }
  }
  if (options.rateLimits !== undefined && options.rateLimits !== false) {
    check.object('rateLimits', options.rateLimits);
    for (const kind of ['user', 'server', 'sent'] as const) {
      const budget = options.rateLimits[kind];
      if (budget === undefined) continue;
      check.object(`rateLimits.${kind}`, budget);
      check.positive(`rateLimits.${kind}.rate`, budget.rate);
      check.integer(`rateLimits.${kind}.burst`, budget.burst, 1);
    }
    check.integer('rateLimits.sources', options.rateLimits.sources, 1);
  }
  if (options.state !== undefined && (typeof options.state !== 'string' || options.state === '')) {
    check.fail('type', 'state', 'a file path', options.state);
  }
}
