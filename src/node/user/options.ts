/**
 * Everything a user node can be told, its defaults in one object, and the checks that make a
 * wrong option fail at once. The CLI takes its defaults from here too.
 */

import { OptionChecker } from '../check-options.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Optional, withDefaults } from '../defaults.ts';
import { type Endpoint, LOOPBACK, type Transport } from '../transport.ts';

/**
 * Every option of a user node that has a plain default, each stated here once: its default and
 * what it is. Times are in milliseconds.
 */
export const DEFAULT_USER_OPTIONS = {
  /** Address to bind: this host only. */
  host: LOOPBACK,
  /** Port to bind; 0 picks a free one. */
  port: 0,
  /** T: how long to wait for a reply before sending a request again. */
  timeout: 1000,
  /**
   * N (at least 1): a request is sent at most N times to one server. A try that got nothing at
   * all back makes the node ask the server PREFERRED (which every server answers) up to N times;
   * only if that goes unanswered too has the server failed, and failover starts, about
   * (N + 1) x T after the first unanswered send.
   */
  retries: 3,
  /**
   * When nothing came from the server, or nothing was sent to it, for this long, register again
   * (PREFERRED, which changes nothing): a dead server is noticed, and the server does not expire a
   * user who only listens. 0: never.
   */
  keepAlive: 5000,
  /** After a FIND the home server forwarded, how long to wait for another server's answer. */
  findWait: 2000,
  /** Bytes of messages `messages()` holds for a reader that falls behind (1 MiB); beyond it the oldest are dropped. */
  messageBuffer: 1024 * 1024,
  /**
   * Rooms follow the user: after a failover or coming home, rejoin (or recreate) on the new server
   * every room this node was in (`roomRejoined`, `roomLost` events). Off unless asked.
   */
  followRooms: false,
  /**
   * A delivery like one taken less than this long ago (same kind, sender, room and text) is that
   * message arriving again, and is dropped (duplicates.ts). 0: never.
   */
  duplicateWindow: 2000,
} as const;

/** Options of {@link createUserNode}, each checked when the node is made: those in DEFAULT_USER_OPTIONS, and these. */
export interface UserNodeOptions extends Optional<typeof DEFAULT_USER_OPTIONS> {
  /** The user's alias: letters and digits. */
  alias: string;
  /** The preferred server's address; `alias` if known (the server is matched by address). */
  server: Endpoint & {
    /** The server's alias, when known; replies are matched by address either way. */
    alias?: string;
  };
  /** Where datagrams go. Default: {@link udpTransport} on `host` and `port`. */
  transport?: Transport;
  /** The time and timers. Default: the transport's own clock if it has one, else the system clock. */
  clock?: Clock;
}

/** A user node's options with every default filled in: what resolveUserNodeOptions returns. */
export type ResolvedUserNodeOptions = ReturnType<typeof resolveUserNodeOptions>;

/** Checks `options` (a TypeError or RangeError names a wrong one) and fills in the defaults. */
export function resolveUserNodeOptions(options: UserNodeOptions) {
  checkUserNodeOptions(options);
  return {
    ...withDefaults(DEFAULT_USER_OPTIONS, options),
    alias: options.alias,
    server: options.server,
    transport: options.transport,
    clock: options.clock ?? options.transport?.clock ?? systemClock,
  };
}

function checkUserNodeOptions(options: UserNodeOptions): void {
  const check = new OptionChecker('createUserNode');
  check.object('options', options);
  check.alias('alias', options.alias);
  check.ipv4('host', options.host);
  check.port('port', options.port);
  check.endpoint('server', options.server);
  if (options.server.alias !== undefined) check.alias('server.alias', options.server.alias);
  check.milliseconds('timeout', options.timeout);
  check.integer('retries', options.retries, 1);
  check.milliseconds('keepAlive', options.keepAlive, true);
  check.milliseconds('findWait', options.findWait, true);
  check.integer('messageBuffer', options.messageBuffer, 1024);
  check.milliseconds('duplicateWindow', options.duplicateWindow, true);
  if (options.followRooms !== undefined && typeof options.followRooms !== 'boolean')
    check.fail('type', 'followRooms', 'a boolean', options.followRooms);
}
