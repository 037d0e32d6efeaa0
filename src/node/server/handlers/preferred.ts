import { sameEndpoint } from '../../transport.ts';
import type { ServerContext } from '../context.ts';
import { aliasTakenBy } from './aliases.ts';
import { refuse } from './refuse.ts';
import type { ServerPacket, UserPacket } from './types.ts';

/**
 * User PREFERRED (Section I.i): registers the sender. Naming this server's address makes it the
 * user's home; naming another server makes the user a guest that prefers that server's alias.
 * The reply lists our neighbours, the user's failover list. A new user is registered only if that
 * reply goes out: a PREFERRED from an unknown address that has not paid for its answer (credit.ts)
 * changes nothing, so a forged one cannot register its victim or set off gossip for free.
 */
export function userPreferred(ctx: ServerContext, packet: UserPacket<'PREFERRED'>): void {
  const user = packet.sender;
  const preferred = packet.command.server;
  const taken = aliasTakenBy(ctx, user.alias, user);
  if (taken) {
    ctx.reply(packet, '-ERR', { messages: [`alias ${user.alias} is used by ${taken}`] });
    return;
  }
  const home = sameEndpoint(preferred, ctx.self);
  const existing = ctx.registry.at(user);
  if (!existing && ctx.registry.size >= ctx.limits.users) {
    refuse(ctx, packet, `this server is full: at most ${ctx.limits.users} users`);
    return;
  }
  const answered = ctx.reply(packet, '+OK', { servers: ctx.neighbours.list() });
  if (existing) {
    // A repeated PREFERRED (a retry, or a new preference) keeps the user's rooms.
    if (existing.user.alias !== user.alias) ctx.registry.rename(existing, user.alias);
    existing.preferred = preferred;
    existing.home = home;
    existing.lastHeard = ctx.now();
  } else if (answered) {
    ctx.registry.add(user, preferred, home, ctx.now());
  } else {
    return;
  }
  ctx.sendNeighboursTo(user);
  if (!existing) ctx.emit('userAttached', user);
  ctx.gossipSoon();
}

/**
 * Server PREFERRED (Section II.v): a recovered server asks which of our users prefer it. The
 * reply lists them, so it can call them home.
 */
export function serverPreferred(ctx: ServerContext, packet: ServerPacket<'PREFERRED'>): void {
  const asking = packet.sender;
  const users = [...ctx.registry.all()]
    .filter((r) => !r.home && r.preferred.alias === asking.alias)
    .map((r) => r.user);
  ctx.reply(packet, '+OK', { users });
}
