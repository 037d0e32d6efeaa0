import type { UserNode } from '../../../ast.ts';
import { endpointKey, sameEndpoint } from '../../transport.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import { nameFits, refuse } from './refuse.ts';
import type { UserHandler, UserPacket } from './types.ts';

/** Who else holds `alias` ("ip:port"), or undefined when it is free for `user`'s address. */
export function aliasTakenBy(ctx: ServerContext, alias: string, user: UserNode): string | undefined {
  const local = ctx.registry.holding(alias);
  if (local && !sameEndpoint(local.user, user)) return endpointKey(local.user);
  const remote = ctx.directory.lookup(alias, ctx.clock.now());
  if (remote && !sameEndpoint(remote.user, user)) return endpointKey(remote.user);
  return undefined;
}

/** ALIAS and SETALIAS act only on the sender's own address. */
function ownAddress(ctx: ServerContext, packet: UserPacket<'ALIAS' | 'SETALIAS'>, inbound: Inbound): boolean {
  if (sameEndpoint(packet.command.user, packet.sender)) return true;
  ctx.outbox.reply(packet, '-ERR', {
    cause: inbound,
    messages: ['the UserNode must have the sender address'],
  });
  return false;
}

/** SETALIAS: renames the sender. */
export const setAlias: UserHandler<'SETALIAS'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  if (!ownAddress(ctx, packet, inbound)) return;
  const alias = packet.command.user.alias;
  if (!nameFits(ctx, inbound, packet, alias)) return;
  const taken = aliasTakenBy(ctx, alias, packet.sender);
  if (taken || registration.aliases.has(alias)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`alias ${alias} is taken`] });
    return;
  }
  const before = registration.user.alias;
  ctx.registry.rename(registration, alias);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.emit('userAliasChanged', registration.user, 'renamed', before);
  ctx.gossip.soon();
};

/** ALIAS: adds another alias for the sender, resolved by FIND and SEND. */
export const addAlias: UserHandler<'ALIAS'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  if (!ownAddress(ctx, packet, inbound)) return;
  const alias = packet.command.user.alias;
  if (!nameFits(ctx, inbound, packet, alias)) return;
  if (aliasTakenBy(ctx, alias, packet.sender) || alias === registration.user.alias) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`alias ${alias} is taken`] });
    return;
  }
  if (registration.aliases.size >= ctx.options.limits.aliasesPerUser) {
    refuse(ctx, inbound, packet, `at most ${ctx.options.limits.aliasesPerUser} extra aliases per user`);
    return;
  }
  ctx.registry.addAlias(registration, alias);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.emit('userAliasChanged', registration.user, 'added', alias);
  ctx.gossip.soon();
};

/** REMOVE: drops one of the sender's extra aliases; anyone else's is refused. */
export const removeAlias: UserHandler<'REMOVE'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  const alias = packet.command.alias;
  if (!registration.aliases.has(alias)) {
    ctx.outbox.reply(packet, '-ERR', {
      cause: inbound,
      messages: [`${alias} is not one of your extra aliases`],
    });
    return;
  }
  ctx.registry.removeAlias(registration, alias);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.emit('userAliasChanged', registration.user, 'removed', alias);
  ctx.gossip.soon();
};
