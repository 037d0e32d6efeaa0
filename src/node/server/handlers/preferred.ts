import type { Server } from '../../../ast.ts';
import { sameEndpoint } from '../../transport.ts';
import { addressSize, chunk, encodedLength, FAILOVER_LIST, reply } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import { failoverList } from '../gossip.ts';
import { aliasTakenBy } from './aliases.ts';
import { nameFits, refuse } from './refuse.ts';
import type { OpenUserHandler, ServerHandler, UserPacket } from './types.ts';

/**
 * User PREFERRED (Section I.i): registers the sender. Naming this server's address makes it the
 * user's home; naming another server makes the user a guest that prefers that server's alias.
 * The reply lists our neighbours, the user's failover list. A new user is registered only if that
 * reply goes out: a PREFERRED from an unknown address that has not paid for its answer (credit.ts)
 * changes nothing, so a forged one cannot register its victim or set off gossip for free. An
 * unpadded PREFERRED pays for a short answer: the +OK lists the neighbours its credit pays for and
 * the rest follow as KNOWNSERVERS once the user is heard from again (`owed`), as does the
 * KNOWNSERVERS that follows a registration when the credit left does not pay for it.
 *
 * A PREFERRED that changes nothing (the same alias and preference again: a user node confirming
 * that its server is alive) is answered and refreshes the registration, and tells no one else.
 */
export const userPreferred: OpenUserHandler<'PREFERRED'> = (ctx, packet, inbound) => {
  const user = packet.sender;
  const preferred = packet.command.server;
  if (!nameFits(ctx, inbound, packet, user.alias)) return;
  const taken = aliasTakenBy(ctx, user.alias, user);
  if (taken) {
    ctx.outbox.reply(packet, '-ERR', {
      cause: inbound,
      messages: [`alias ${user.alias} is used by ${taken}`],
    });
    return;
  }
  const home = sameEndpoint(preferred, ctx.self);
  const existing = ctx.registry.at(user);
  const unchanged = ctx.registry.unchangedBy(user, preferred);
  if (!existing && ctx.registry.size >= ctx.options.limits.users) {
    refuse(ctx, inbound, packet, `this server is full: at most ${ctx.options.limits.users} users`);
    return;
  }
  const all = existing ? failoverList(ctx, user) : ctx.neighbours.list().slice(0, FAILOVER_LIST);
  const servers = affordable(ctx, packet, all, ctx.outbox.budget(inbound));
  const answered = ctx.outbox.reply(packet, '+OK', { cause: inbound, servers });
  if (existing) {
    // A repeated PREFERRED (a retry, a new preference, a check that we live) keeps the user's rooms.
    ctx.registry.heard(existing, ctx.clock.now());
    ctx.registry.payOwed(existing);
    if (unchanged) return;
    ctx.registry.prefer(existing, user.alias, preferred, home);
    ctx.gossip.tellUser(user, inbound);
  } else if (answered) {
    const owed = servers.length < all.length;
    const registration = ctx.registry.add(user, preferred, home, ctx.clock.now(), owed);
    // The KNOWNSERVERS that follows is paid from the same credit, which a +OK listing neighbours
    // may have used up: then it is owed too, and goes out when the user is next heard from.
    if (!owed && !ctx.gossip.tellUser(user, inbound)) ctx.registry.owe(registration);
    ctx.emit('userAttached', user);
  } else {
    return;
  }
  ctx.gossip.soon();
};

/** The first of `servers` that a +OK to `packet` of at most `budget` bytes has room for. */
function affordable(ctx: ServerContext, packet: UserPacket<'PREFERRED'>, servers: Server[], budget: number) {
  if (budget === Number.POSITIVE_INFINITY) return servers;
  let length = encodedLength(reply(ctx.self, '+OK', packet));
  const kept: Server[] = [];
  for (const server of servers) {
    length += addressSize(server);
    if (length > budget) break;
    kept.push(server);
  }
  return kept;
}

/**
 * Server PREFERRED (Section II.v): a recovered server asks which of our users prefer it. The
 * reply lists them, so it can call them home. It is answered only to a neighbour that holds the
 * alias at the address asking (a recovered server claims its alias and becomes our neighbour
 * before it asks): the guest list is not handed to anyone who names a server.
 */
export const serverPreferred: ServerHandler<'PREFERRED'> = (ctx, packet, inbound) => {
  const asking = packet.sender;
  const holder = ctx.knownServers.holder(asking.alias, ctx.clock.now());
  if (ctx.neighbours.at(asking)?.alias !== asking.alias || !holder || !sameEndpoint(holder.server, asking)) {
    const reason = `PREFERRED is answered only to a neighbour holding ${asking.alias}`;
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [reason] });
    return;
  }
  const users = [...ctx.registry.all()]
    .filter((r) => !r.home && r.preferred.alias === asking.alias)
    .map((r) => r.user);
  // As many +OKs as it takes to list them all within the datagram limit; recovery takes each.
  const base = encodedLength(reply(ctx.self, '+OK', packet));
  for (const part of chunk(users, base, addressSize))
    ctx.outbox.reply(packet, '+OK', { cause: inbound, users: part });
};
