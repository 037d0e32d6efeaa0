/**
 * Everything a user node can be told, its defaults in one object, and the checks that make a
 * wrong option fail at once. The CLI takes its defaults from here too.
 */

import { OptionChecker } from '../check-options.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Endpoint, LOOPBACK, type Transport } from '../transport.ts';

/** Options of {@link createUserNode}; each is checked when the node is made. */
export interface UserNodeOptions {
  /** The user's alias: letters and digits. */
  alias: string;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default 0. */
  port?: number;
  /** The preferred server's address; `alias` if known (the server is matched by address). */
  server: Endpoint & {
    /** The server's alias, when known; replies are matched by address either way. */
    alias?: string;
  };
  /** T: milliseconds to wait for a reply before sending a request again. Default 1000. */
  timeout?: number;
  /**
   * N (at least 1): a request is sent at most N times to one server. A try that got nothing at
   * all back makes the node ask the server PREFERRED (which every server answers) up to N times;
   * only if that goes unanswered too has the server failed, and failover starts, about
   * (N + 1) x T after the first unanswered send. Default 3.
   */
  retries?: number;
  /**
   * When nothing came from the server, or nothing was sent to it, for this many ms, register
   * again (PREFERRED, which changes nothing): a dead server is noticed, and the server does not
   * expire a user who only listens. 0: never. Default 5000.
   */
  keepAlive?: number;
  /**
   * Rooms follow the user: after a failover or coming home, rejoin (or recreate) on the new server
   * every room this node was in (`roomRejoined`, `roomLost` events). Default false.
   */
  followRooms?: boolean;
  /** After a FIND the home server forwarded, how long to wait for another server's answer. Default 2000. */
  findWait?: number;
  /** Bytes of messages `messages()` holds for a reader that falls behind; beyond it the oldest are dropped. Default 1 MiB. */
  messageBuffer?: number;
  /**
   * A delivery like one taken less than this many ms ago (same kind, sender, room and text) is
   * that message arriving again, and is dropped (duplicates.ts). 0: never. Default 2000.
   */
  duplicateWindow?: number;
  /** Where datagrams go. Default: {@link udpTransport} on `host` and `port`. */
  transport?: Transport;
  /** The time and timers. Default: the transport's own clock if it has one, else the system clock. */
  clock?: Clock;
}

/** Every default of a user node's options, in one place. */
export const DEFAULT_USER_OPTIONS = {
  /** Address to bind: this host only. */
  host: LOOPBACK,
  /** Any free port. */
  port: 0,
  /** T: milliseconds before a request is sent again. */
  timeout: 1000,
  /** N: sends of one request, and silent sends in a row that mean the server failed. */
  retries: 3,
  /** Milliseconds of silence before an idle node checks on its server. */
  keepAlive: 5000,
  /** Milliseconds to wait for another server's answer to a forwarded FIND. */
  findWait: 2000,
  /** Bytes of unread messages `messages()` holds. */
  messageBuffer: 1024 * 1024,
  /** Rooms are not rejoined after a change of server unless asked. */
  followRooms: false,
  /** Milliseconds within which the same delivery again is the same message. */
  duplicateWindow: 2000,
} as const;

/** A user node's options with every default filled in. */
export type ResolvedUserNodeOptions = Required<Omit<UserNodeOptions, 'transport'>> & {
  transport: Transport | undefined;
};

/** Checks `options` (a TypeError or RangeError names a wrong one) and fills in the defaults. */
export function resolveUserNodeOptions(options: UserNodeOptions): ResolvedUserNodeOptions {
  checkUserNodeOptions(options);
  const d = DEFAULT_USER_OPTIONS;
  return {
    alias: options.alias,
    host: options.host ?? d.host,
    port: options.port ?? d.port,
    server: options.server,
    timeout: options.timeout ?? d.timeout,
    retries: options.retries ?? d.retries,
    keepAlive: options.keepAlive ?? d.keepAlive,
    findWait: options.findWait ?? d.findWait,
    messageBuffer: options.messageBuffer ?? d.messageBuffer,
    followRooms: options.followRooms ?? d.followRooms,
    duplicateWindow: options.duplicateWindow ?? d.duplicateWindow,
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
