/**
 * Section II.vi: finding a user node. A server that knows the alias (its own users, or its
 * directory) answers +OK with the hosting Server and the UserNode. Otherwise it forwards the FIND
 * unchanged to its neighbours; the first server that knows the alias answers the requesting user
 * node directly. The seen-set (seen-set.ts), keyed by requester address and target alias, makes
 * every server answer and forward a request at most once within `relayWindow`, so floods end in
 * any topology, cycles included. A server always answers its own user (a retry gets an answer),
 * but forwards a request only the first time it sees it.
 */
import { endpointKey, sameEndpoint } from '../../transport.ts';
import { type ReplyLists, userAt } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { FindPacket } from './types.ts';

/** Where `alias` is, as the lists of a +OK reply. */
export function locate(ctx: ServerContext, alias: string): ReplyLists | undefined {
  const local = ctx.registry.holding(alias);
  if (local) return { servers: [ctx.self], users: [userAt(alias, local.user)] };
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  if (entry) return { servers: [entry.server], users: [entry.user] };
  return undefined;
}

/**
 * A FIND, from one of our users (`relayed` false) or forwarded by a neighbour (`inbound.from`).
 * One whose target is being claimed by another server waits for that claim to be settled, once:
 * claims that follow one another cannot hold it back for longer.
 */
export function find(
  ctx: ServerContext,
  packet: FindPacket,
  inbound: Inbound,
  relayed: boolean,
  waited = false,
): void {
  const target = packet.command.alias;
  const contest = waited || ctx.registry.holding(target) ? undefined : ctx.directory.contested(target);
  if (contest) {
    contest.then(() => find(ctx, packet, inbound, relayed, true));
    return;
  }
  const first = ctx.relayed.mark(
    `${endpointKey(packet.sender)} ${target}`,
    ctx.clock.now(),
    endpointKey(inbound.from),
  );
  const found = locate(ctx, target);
  if (!relayed) {
    if (found) {
      inbound.reply(packet, '+OK', found);
      return;
    }
    const neighbours = ctx.neighbours.list();
    inbound.reply(packet, '-ERR', {
      messages: [`${target} is not known here; asked ${neighbours.length} neighbour server(s)`],
    });
    if (first) for (const server of neighbours) inbound.send(packet, server);
    return;
  }
  if (!first) return;
  if (found) {
    inbound.reply(packet, '+OK', found);
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, inbound.from)) inbound.send(packet, server);
  }
}
