import { reply } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import { messageFits } from './refuse.ts';
import type { UserHandler, UserPacket } from './types.ts';

/**
 * SEND: a local recipient gets the SEND echoed in a +OK reply; a recipient on another server gets
 * the SEND forwarded to that server, which delivers it. -ERR for an alias nobody knows here.
 */
export const send: UserHandler<'SEND'> = (ctx, packet) => {
  if (!messageFits(ctx, packet)) return;
  const alias = packet.command.alias;
  if (deliverLocally(ctx, packet)) {
    ctx.reply(packet, '+OK');
    return;
  }
  const entry = ctx.directory.lookup(alias, ctx.now());
  if (!entry) {
    ctx.reply(packet, '-ERR', { messages: [`${alias} is not known here`] });
    return;
  }
  ctx.send(packet, entry.server);
  ctx.reply(packet, '+OK');
};

/** A SEND another server forwarded to us: deliver it if the recipient is ours. */
export function relayedSend(ctx: ServerContext, packet: UserPacket<'SEND'>): boolean {
  return deliverLocally(ctx, packet);
}

function deliverLocally(ctx: ServerContext, packet: UserPacket<'SEND'>): boolean {
  const recipient = ctx.registry.holding(packet.command.alias);
  if (!recipient) return false;
  ctx.send(reply(ctx.self, '+OK', packet), recipient.user);
  return true;
}
