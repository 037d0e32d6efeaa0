import { createHash } from 'node:crypto';
import { type Endpoint, endpointKey, sameEndpoint } from '../../transport.ts';
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

/**
 * A SEND another server forwarded to us: deliver it if the recipient is ours. If it is not (the
 * forwarding server's directory was behind, as just after the recipient went home from here),
 * pass it on to where our directory says the recipient is, after any claim on the alias is
 * settled (as a FIND waits). If we do not know either (the recipient's new server has not
 * gossiped yet), pass it to our other neighbours, as a FIND is flooded. Each server passes a
 * given SEND on at most once per `findWindow` (it shares the FIND seen-set), so stale
 * directories cannot make it loop and a flood ends; the same text sent twice within the window
 * is passed on only once.
 */
export function relayedSend(
  ctx: ServerContext,
  packet: UserPacket<'SEND'>,
  relayedBy: Endpoint,
  waited = false,
): void {
  if (deliverLocally(ctx, packet)) return;
  const { alias, message } = packet.command;
  const contest = waited ? undefined : ctx.directory.contested(alias);
  if (contest) {
    const later = ctx.withScope();
    contest.then(() => later(() => relayedSend(ctx, packet, relayedBy, true)));
    return;
  }
  const now = ctx.now();
  const digest = createHash('sha256').update(message).digest('base64');
  if (!ctx.finds.mark(`SEND ${endpointKey(packet.sender)} ${alias} ${digest}`, now)) return;
  const entry = ctx.directory.lookup(alias, now);
  if (entry && !sameEndpoint(entry.server, relayedBy) && !sameEndpoint(entry.server, ctx.self)) {
    ctx.send(packet, entry.server);
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, relayedBy)) ctx.send(packet, server);
  }
}

function deliverLocally(ctx: ServerContext, packet: UserPacket<'SEND'>): boolean {
  const recipient = ctx.registry.holding(packet.command.alias);
  if (!recipient) return false;
  ctx.send(reply(ctx.self, '+OK', packet), recipient.user);
  return true;
}
