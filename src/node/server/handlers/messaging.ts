import { createHash } from 'node:crypto';
import { endpointKey, sameEndpoint } from '../../transport.ts';
import { reply } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import { messageFits } from './refuse.ts';
import type { UserHandler, UserPacket } from './types.ts';

/**
 * SEND: a local recipient gets the SEND echoed in a +OK reply; a recipient on another server gets
 * the SEND forwarded to that server, which delivers it. -ERR for an alias nobody knows here.
 */
export const send: UserHandler<'SEND'> = (ctx, packet, inbound) => {
  if (!messageFits(ctx, inbound, packet)) return;
  const alias = packet.command.alias;
  if (deliverLocally(ctx, packet, inbound)) {
    inbound.reply(packet, '+OK');
    return;
  }
  const entry = ctx.directory.lookup(alias, ctx.now());
  if (!entry) {
    inbound.reply(packet, '-ERR', { messages: [`${alias} is not known here`] });
    return;
  }
  inbound.send(packet, entry.server);
  inbound.reply(packet, '+OK');
};

/**
 * A SEND another server forwarded to us: deliver it if the recipient is ours. If it is not (the
 * forwarding server's directory was behind, as just after the recipient went home from here),
 * pass it on to where our directory says the recipient is, after any claim on the alias is
 * settled (as a FIND waits). If we do not know either (the recipient's new server has not
 * gossiped yet), pass it to our other neighbours, as a FIND is flooded. Each server passes a
 * given SEND on at most once per `relayWindow` (it shares the FIND seen-set), so stale
 * directories cannot make it loop and a flood ends; the same text sent twice within the window
 * is passed on only once.
 */
export function relayedSend(
  ctx: ServerContext,
  packet: UserPacket<'SEND'>,
  inbound: Inbound,
  waited = false,
): void {
  // A relayed message is held to the size a user's own would be.
  if (new TextEncoder().encode(packet.command.message).length > ctx.limits.messageBytes) {
    ctx.counters.overLimit++;
    return;
  }
  if (deliverLocally(ctx, packet, inbound)) return;
  const { alias, message } = packet.command;
  const contest = waited ? undefined : ctx.directory.contested(alias);
  if (contest) {
    contest.then(() => relayedSend(ctx, packet, inbound, true));
    return;
  }
  const relayedBy = inbound.from;
  const now = ctx.now();
  const digest = createHash('sha256').update(message).digest('base64');
  if (!ctx.relayed.mark(`SEND ${endpointKey(packet.sender)} ${alias} ${digest}`, now, endpointKey(relayedBy)))
    return;
  const entry = ctx.directory.lookup(alias, now);
  if (entry && !sameEndpoint(entry.server, relayedBy) && !sameEndpoint(entry.server, ctx.self)) {
    inbound.send(packet, entry.server);
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, relayedBy)) inbound.send(packet, server);
  }
}

function deliverLocally(ctx: ServerContext, packet: UserPacket<'SEND'>, inbound: Inbound): boolean {
  const recipient = ctx.registry.holding(packet.command.alias);
  if (!recipient) return false;
  inbound.send(reply(ctx.self, '+OK', packet), recipient.user);
  return true;
}
