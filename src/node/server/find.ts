/**
 * Section II.vi: finding a user node. A server that knows the alias (its own users, or its
 * directory) answers +OK with the hosting Server and the UserNode. Otherwise it forwards the FIND
 * unchanged to its neighbours; the first server that knows the alias answers the requesting user
 * node directly. A seen-set keyed by requester address and target alias makes every server
 * answer and forward a request at most once within `findWindow`, so floods end in any topology,
 * cycles included. A server always answers its own user (a retry gets an answer), but forwards a
 * request only the first time it sees it.
 */

import { type Endpoint, endpointKey, sameEndpoint } from '../transport.ts';
import type { ReplyLists } from '../wire.ts';
import { userAt } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { FindPacket } from './handlers/types.ts';

export class SeenSet {
  readonly #seen = new Map<string, number>();
  readonly #window: number;
  readonly #limit: number;
  readonly #onFull: () => void;

  /**
   * At most `limit` requests remembered. When full (after dropping expired ones) a new request
   * counts as seen: it is answered from what this server knows but not forwarded, so a flood of
   * distinct FINDs can neither grow the set nor escape its bound on forwarding.
   */
  constructor(window: number, limit = Number.POSITIVE_INFINITY, onFull: () => void = () => {}) {
    this.#window = window;
    this.#limit = limit;
    this.#onFull = onFull;
  }

  /** True the first time `key` is seen within the window. */
  mark(key: string, now: number): boolean {
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    if (until === undefined && this.#seen.size >= this.#limit) {
      this.#sweep(now);
      if (this.#seen.size >= this.#limit) {
        this.#onFull();
        return false;
      }
    }
    this.#seen.set(key, now + this.#window);
    if (this.#seen.size > 1024) this.#sweep(now);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#seen) if (until <= now) this.#seen.delete(key);
  }

  get size(): number {
    return this.#seen.size;
  }
}

/** Where `alias` is, as the lists of a +OK reply. */
export function locate(ctx: ServerContext, alias: string): ReplyLists | undefined {
  const local = ctx.registry.holding(alias);
  if (local) return { servers: [ctx.self], users: [userAt(alias, local.user)] };
  const entry = ctx.directory.lookup(alias, ctx.now());
  if (entry) return { servers: [entry.server], users: [entry.user] };
  return undefined;
}

/**
 * A FIND, from one of our users (`relayedBy` undefined) or forwarded by a neighbour. One whose
 * target is being claimed by another server waits for that claim to be settled, once: claims
 * that follow one another cannot hold it back for longer.
 */
export function handleFind(
  ctx: ServerContext,
  packet: FindPacket,
  relayedBy?: Endpoint,
  waited = false,
): void {
  const target = packet.command.alias;
  const contest = waited || ctx.registry.holding(target) ? undefined : ctx.directory.contested(target);
  if (contest) {
    const later = ctx.withScope();
    contest.then(() => later(() => handleFind(ctx, packet, relayedBy, true)));
    return;
  }
  const first = ctx.finds.mark(`${endpointKey(packet.sender)} ${target}`, ctx.now());
  const found = locate(ctx, target);
  if (relayedBy === undefined) {
    if (found) {
      ctx.reply(packet, '+OK', found);
      return;
    }
    const neighbours = ctx.neighbours.list();
    ctx.reply(packet, '-ERR', {
      messages: [`${target} is not known here; asked ${neighbours.length} neighbour server(s)`],
    });
    if (first) for (const server of neighbours) ctx.send(packet, server);
    return;
  }
  if (!first) return;
  if (found) {
    ctx.reply(packet, '+OK', found);
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, relayedBy)) ctx.send(packet, server);
  }
}
