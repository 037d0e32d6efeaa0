import { createHash } from 'node:crypto';
import { plantedFaults } from '../../planted-faults.ts';
import { endpointKey, sameEndpoint } from '../../transport.ts';
import { reply } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import { afterClaims } from './find.ts';
import { messageFits } from './refuse.ts';
import type { OpenUserHandler, UserHandler, UserPacket } from './types.ts';

/**
 * SEND: a local recipient gets the SEND echoed in a +OK reply; a recipient on another server gets
 * the SEND forwarded to that server, which delivers it. A recipient our directory does not know
 * may still be one a FIND can reach (beyond a neighbour that does not gossip what it learns): the
 * SEND is flooded to our neighbours as a FIND is, and the +OK says so. -ERR only when there is no
 * neighbour to ask.
 */
export const send: UserHandler<'SEND'> = (ctx, packet, inbound) => {
  if (!messageFits(ctx, inbound, packet)) return;
  const alias = packet.command.alias;
  if (deliverLocally(ctx, packet, inbound)) {
    ctx.outbox.reply(packet, '+OK', { cause: inbound });
    return;
  }
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  if (entry) {
    ctx.outbox.send(packet, entry.server, { cause: inbound });
    ctx.outbox.reply(packet, '+OK', { cause: inbound });
    return;
  }
  const neighbours = ctx.neighbours.list();
  if (neighbours.length === 0) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`${alias} is not known here`] });
    return;
  }
  // Marked as seen here, so that the flood coming back to us through a cycle ends.
  const key = sendKey(packet);
  const now = ctx.clock.now();
  const repeat = ctx.relayed.has(key, now);
  if (!repeat && !ctx.relayed.mark(key, now, endpointKey(packet.sender))) {
    const busy = `${alias} is not known here, and this server passes on no more just now`;
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [busy] });
    return;
  }
  if (!repeat) for (const server of neighbours) ctx.outbox.send(packet, server, { cause: inbound });
  const passedOn = `${alias} is not known here; passed on to ${neighbours.length} neighbour server(s)`;
  ctx.outbox.reply(packet, '+OK', { cause: inbound, messages: [passedOn] });
};

/**
 * A SEND's key in the seen-set: the same sender, recipient and text. Each server delivers or
 * passes on a SEND once within `relayWindow`, however many paths (unicast, every multicast
 * channel, a flood's cycles) bring it.
 */
function sendKey(packet: UserPacket<'SEND'>): string {
  const { alias, message } = packet.command;
  const digest = createHash('sha256').update(message).digest('base64');
  return `SEND ${endpointKey(packet.sender)} ${alias} ${digest}`;
}

/**
 * A SEND another server forwarded to us: deliver it if the recipient is ours. If it is not (the
 * forwarding server's directory was behind, as just after the recipient went home from here),
 * pass it on to where our directory says the recipient is, after any claim on the alias is
 * settled (as a FIND waits). If we do not know either (the recipient's new server has not
 * gossiped yet), pass it to our other neighbours, as a FIND is flooded. Each server passes a
 * given SEND on at most once per `relayWindow` (it shares the FIND seen-set), so stale
 * directories cannot make it loop and a flood ends; the same text sent twice within the window
 * is passed on only once; the same holds for delivering it here.
 */
export const relayedSend: OpenUserHandler<'SEND'> = (ctx, packet, inbound) => {
  // A relayed message is held to the size a user's own would be.
  if (new TextEncoder().encode(packet.command.message).length > ctx.options.limits.messageBytes) {
    ctx.counters.overLimit++;
    return;
  }
  afterClaims(ctx, packet.command.alias, () => passOnSend(ctx, packet, inbound));
};

function passOnSend(ctx: ServerContext, packet: UserPacket<'SEND'>, inbound: Inbound): void {
  const alias = packet.command.alias;
  const relayedBy = inbound.from;
  const key = sendKey(packet);
  const now = ctx.clock.now();
  if (ctx.relayed.has(key, now)) return; // a copy of one delivered or passed on already
  // Our own users get it even when the seen-set is too full to remember it.
  const first = ctx.relayed.mark(key, now, endpointKey(relayedBy));
  if (deliverLocally(ctx, packet, inbound)) return;
  if (!first) return;
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  if (entry && !sameEndpoint(entry.server, relayedBy) && !sameEndpoint(entry.server, ctx.self)) {
    ctx.outbox.send(packet, entry.server, { cause: inbound });
    return;
  }
  for (const server of ctx.neighbours.list()) {
    if (!sameEndpoint(server, relayedBy)) ctx.outbox.send(packet, server, { cause: inbound });
  }
}

function deliverLocally(ctx: ServerContext, packet: UserPacket<'SEND'>, inbound: Inbound): boolean {
  const recipient = ctx.registry.holding(packet.command.alias);
  if (!recipient) return false;
  ctx.outbox.send(reply(ctx.self, '+OK', packet), recipient.user, { cause: inbound });
  if (plantedFaults.has('deliverTwice'))
    ctx.outbox.send(reply(ctx.self, '+OK', packet), recipient.user, { cause: inbound });
  return true;
}
