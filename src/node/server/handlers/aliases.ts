import type { UserNode } from '../../../ast.ts';
import { endpointKey, sameEndpoint } from '../../transport.ts';
import type { ServerContext } from '../context.ts';
import type { Gossip } from '../gossip.ts';
import type { Inbound } from '../inbound.ts';
import type { Registration } from '../registry.ts';
import { nameFits, refuse } from './refuse.ts';
import type { UserPacket } from './types.ts';

/** Who else holds `alias` ("ip:port"), or undefined when it is free for `user`'s address. */
export function aliasTakenBy(ctx: ServerContext, alias: string, user: UserNode): string | undefined {
  const local = ctx.registry.holding(alias);
  if (local && !sameEndpoint(local.user, user)) return endpointKey(local.user);
  const remote = ctx.directory.lookup(alias, ctx.clock.now());
  if (remote && !sameEndpoint(remote.user, user)) return endpointKey(remote.user);
  return undefined;
}

/** ALIAS and SETALIAS act only on the sender's own address. */
function ownAddress(packet: UserPacket<'ALIAS' | 'SETALIAS'>, inbound: Inbound): boolean {
  if (sameEndpoint(packet.command.user, packet.sender)) return true;
  inbound.reply(packet, '-ERR', { messages: ['the UserNode must have the sender address'] });
  return false;
}

/** SETALIAS: renames the sender. */
export function setAlias(
  ctx: ServerContext,
  packet: UserPacket<'SETALIAS'>,
  inbound: Inbound,
  registration: Registration,
  gossip: Gossip,
): void {
  if (!ownAddress(packet, inbound)) return;
  const alias = packet.command.user.alias;
  if (!nameFits(ctx, inbound, packet, alias)) return;
  const taken = aliasTakenBy(ctx, alias, packet.sender);
  if (taken || registration.aliases.has(alias)) {
    inbound.reply(packet, '-ERR', { messages: [`alias ${alias} is taken`] });
    return;
  }
  const before = registration.user.alias;
  ctx.registry.rename(registration, alias);
  inbound.reply(packet, '+OK');
  ctx.emit('userAliasChanged', registration.user, 'renamed', before);
  gossip.soon();
}

/** ALIAS: adds another alias for the sender, resolved by FIND and SEND. */
export function addAlias(
  ctx: ServerContext,
  packet: UserPacket<'ALIAS'>,
  inbound: Inbound,
  registration: Registration,
  gossip: Gossip,
): void {
  if (!ownAddress(packet, inbound)) return;
  const alias = packet.command.user.alias;
  if (!nameFits(ctx, inbound, packet, alias)) return;
  if (aliasTakenBy(ctx, alias, packet.sender) || alias === registration.user.alias) {
    inbound.reply(packet, '-ERR', { messages: [`alias ${alias} is taken`] });
    return;
  }
  if (registration.aliases.size >= ctx.limits.aliasesPerUser) {
    refuse(ctx, inbound, packet, `at most ${ctx.limits.aliasesPerUser} extra aliases per user`);
    return;
  }
  ctx.registry.addAlias(registration, alias);
  inbound.reply(packet, '+OK');
  ctx.emit('userAliasChanged', registration.user, 'added', alias);
  gossip.soon();
}

/** REMOVE: drops one of the sender's extra aliases; anyone else's is refused. */
export function removeAlias(
  ctx: ServerContext,
  packet: UserPacket<'REMOVE'>,
  inbound: Inbound,
  registration: Registration,
  gossip: Gossip,
): void {
  const alias = packet.command.alias;
  if (!registration.aliases.has(alias)) {
    inbound.reply(packet, '-ERR', { messages: [`${alias} is not one of your extra aliases`] });
    return;
  }
  ctx.registry.removeAlias(registration, alias);
  inbound.reply(packet, '+OK');
  ctx.emit('userAliasChanged', registration.user, 'removed', alias);
  gossip.soon();
}
