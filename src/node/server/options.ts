/**
 * Everything a server can be told, its defaults in one object (anchor: memberlist's
 * `DefaultLANConfig()`), and the checks that make a wrong option fail at once. The CLI takes its
 * defaults from here too.
 */

import { OptionChecker } from '../check-options.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Optional, withDefaults } from '../defaults.ts';
import { type Endpoint, LOOPBACK, type Transport } from '../transport.ts';
import type { PrivateGroupOptions } from './group.ts';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMITS, type RateLimits, type ServerLimits } from './limits.ts';
import type { StateStore } from './state.ts';

/** The protocol's well-known discovery channel, 230.0.0.1:8450 (Section II). */
export const DEFAULT_CHANNEL: Endpoint = { ip: '230.0.0.1', port: 8450 };

/**
 * Every option of a server that has a plain default, each stated here once: its default and what
 * it is. Times are in milliseconds.
 */
export const DEFAULT_SERVER_OPTIONS = {
  /** Unicast address to bind: this host only. */
  host: LOOPBACK,
  /** Unicast port; 0 picks a free one. */
  port: 0,
  /** Multicast channels to join: the well-known discovery channel. */
  channels: [DEFAULT_CHANNEL] as readonly Endpoint[],
  /** Interface multicast is sent and joined on: this host, so nothing leaves it. */
  interface: LOOPBACK,
  /** Multicast TTL: no further than the local link. */
  ttl: 1,
  /** How often KNOWNUSERS and KNOWNSERVERS are multicast. */
  gossipInterval: 5000,
  /**
   * Incremental gossip: the whole user list goes out every this many gossip intervals (and to a
   * new neighbour, and whenever a user left); in between, KNOWNUSERS names only the users who
   * arrived since, and nothing when nobody did. 1: the whole list every interval, as every version
   * of this server reads right. A server before incremental gossip reads a list of newcomers as a
   * whole round and drops the rest of this server's users until the next full list: raise it only
   * where every server on the channels is this version or later.
   */
  fullListEvery: 1,
  /** DISCOVER probes sent per alias claim. */
  probes: 3,
  /** Time between probes, and after the last one before the alias is taken. */
  probeInterval: 250,
  /**
   * How long a relayed request (a FIND, or a SEND passed between servers) is remembered, so each
   * server answers and passes it on at most once.
   */
  relayWindow: 5000,
  /**
   * How long a user request is remembered so that an identical repeat (a retry after a lost
   * reply) is answered again but not acted on again.
   */
  replayWindow: 5000,
  /**
   * A registered user that sends nothing for this long (two minutes) is dropped, as if it had sent
   * EXIT (user nodes' keep-alives keep live users well inside it). Checked every `gossipInterval`.
   */
  userExpiry: 120_000,
  /**
   * Accepting an invitation (JOINCHANNEL) leaves every other channel, keeping the new one (Section
   * II.ii: "the option to continue listening on the original channel or disconnecting from it");
   * the state file then lists only that one, and on restart its channels replace `channels`.
   * False: every channel is kept.
   */
  leaveOnInvite: false as boolean,
} as const;

/** Options of `createServer`: those in DEFAULT_SERVER_OPTIONS, and these. */
export interface ServerOptions extends Optional<typeof DEFAULT_SERVER_OPTIONS> {
  /** The alias to claim; renamed (alpha -> alpha2) if another server holds it. */
  alias: string;
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
   * A {@link StateStore} keeps the state somewhere else (the simulator keeps it in memory).
   */
  state?: string | StateStore;
  /**
   * A private channel (Section II.ii) and the aliases of the servers to invite onto it: each is
   * sent JOINCHANNEL once it is a neighbour, and this server joins the channel on the first +OK.
   */
  group?: PrivateGroupOptions;
  /**
   * Random numbers in [0, 1), for the delay before the first DISCOVER probe. Default
   * Math.random; a seeded generator makes a simulated run repeatable.
   */
  random?: () => number;
}

/** A server's options with every default filled in: what resolveServerOptions returns. */
export type ResolvedServerOptions = ReturnType<typeof resolveServerOptions>;

/** Checks `options` (a TypeError or RangeError names a wrong one) and fills in the defaults. */
export function resolveServerOptions(options: ServerOptions) {
  checkServerOptions(options);
  return {
    ...withDefaults(DEFAULT_SERVER_OPTIONS, options),
    alias: options.alias,
    limits: { ...DEFAULT_LIMITS, ...options.limits } as ServerLimits,
    /** Undefined when rate limiting is off. */
    rateLimits:
      options.rateLimits === false
        ? undefined
        : ({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits } as RateLimits),
    transport: options.transport,
    clock: options.clock ?? options.transport?.clock ?? systemClock,
    state: options.state,
    group: options.group,
    random: options.random ?? Math.random,
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
  check.integer('fullListEvery', options.fullListEvery, 1);
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
  const state = options.state as Partial<StateStore> | string | undefined;
  const store = typeof state === 'object' && state !== null && typeof state.load === 'function';
  if (state !== undefined && !store && (typeof state !== 'string' || state === '')) {
    check.fail('type', 'state', 'a file path or a state store', state);
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    check.fail('type', 'random', 'a function returning numbers in [0, 1)', options.random);
  }
  if (options.group !== undefined) {
    check.object('group', options.group);
    check.channel('group.channel', options.group.channel);
    if (!Array.isArray(options.group.invite) || options.group.invite.length === 0)
      check.fail('type', 'group.invite', 'a non-empty array of aliases', options.group.invite);
    options.group.invite.forEach((alias, i) => {
      check.alias(`group.invite[${i}]`, alias);
    });
  }
  if (options.leaveOnInvite !== undefined && typeof options.leaveOnInvite !== 'boolean')
    check.fail('type', 'leaveOnInvite', 'true or false', options.leaveOnInvite);
}
