/**
 * Section II.vi: finding a user node. A server that knows the alias (its own users, or its
 * directory) answers +OK with the hosting Server and the UserNode. Otherwise it forwards the FIND
 * unchanged to its neighbours; the first server that knows the alias answers the requesting user
 * node directly. The seen-set (seen-set.ts), keyed by requester address and target alias, makes
 * every server answer and forward a request at most once within `relayWindow`, so floods end in
 * any topology, cycles included. A server always answers its own user (a retry gets an answer),
 * but forwards a request only the first time it sees it.
 *
 * A FIND whose target another server is claiming waits for that claim to be settled (contests.ts),
 * once: claims that follow one another cannot hold it back for longer.
 */
import { endpointKey, sameEndpoint } from '../../transport.ts';
import { type ReplyLists, userAt } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { FindPacket, HandlerContext, OpenUserHandler, UserHandler } from './types.ts';

/** Where `alias` is, as the lists of a +OK reply. */
export function locate(ctx: ServerContext, alias: string): ReplyLists | undefined {
  const local = ctx.registry.holding(alias);
  if (local) return { servers: [ctx.self], users: [userAt(alias, local.user)] };
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  if (entry) return { servers: [entry.server], users: [entry.user] };
  return undefined;
}

/**
 * Runs `action` now when `alias` is ours (a claim elsewhere cannot move it), else once any claim
 * on it is settled (contests.ts).
 */
export function afterClaims(ctx: ServerContext, alias: string, action: () => void): void {
  if (ctx.registry.holding(alias)) action();
  else ctx.contests.afterClaims(alias, action);
}

/** A FIND from one of our users: always answered; passed on to the neighbours the first time. */
export const find: UserHandler<'FIND'> = (ctx, packet, inbound) => {
  afterClaims(ctx, packet.command.alias, () => answerFind(ctx, packet, inbound));
};

/** A FIND a neighbour passed on (`inbound.from`): answered or passed on again, once. */
export const relayedFind: OpenUserHandler<'FIND'> = (ctx, packet, inbound) => {
  afterClaims(ctx, packet.command.alias, () => passOnFind(ctx, packet, inbound));
};

/** Marks the request seen; true the first time within `relayWindow`. */
function firstSeen(ctx: ServerContext, packet: FindPacket, inbound: Inbound): boolean {
  const key = `${endpointKey(packet.sender)} ${packet.command.alias}`;
  return ctx.relayed.mark(key, ctx.clock.now(), endpointKey(inbound.from));
}

function answerFind(ctx: HandlerContext, packet: FindPacket, inbound: Inbound): void {
  const target = packet.command.alias;
  const first = firstSeen(ctx, packet, inbound);
  const found = locate(ctx, target);
  if (found) {
    ctx.outbox.reply(packet, '+OK', { ...found, cause: inbound });
    return;
  }
  const neighbours = ctx.neighbours.list();
  ctx.outbox.reply(packet, '-ERR', {
    cause: inbound,
    messages: [`${target} is not known here; asked ${neighbours.length} neighbour server(s)`],
  });
  if (first) for (const server of neighbours) ctx.outbox.send(packet, server, { cause: inbound });
}

function passOnFind(ctx: HandlerContext, packet: FindPacket, inbound: Inbound): void {
  const first = firstSeen(ctx, packet, inbound);
  if (!first) return;
  const found = locate(ctx, packet.command.alias);
  if (found) {
    ctx.outbox.reply(packet, '+OK', { ...found, cause: inbound });
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, inbound.from)) ctx.outbox.send(packet, server, { cause: inbound });
  }
}
