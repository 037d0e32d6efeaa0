import { createHash } from 'node:crypto';
import type { Server, ServerReply, Status } from '../../../ast.ts';
import { plantedFaults } from '../../planted-faults.ts';
import { endpointKey, sameEndpoint } from '../../transport.ts';
import { type ReplyLists, reply } from '../../wire.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { SendOutcome } from '../send-outcomes.ts';
import { afterClaims } from './find.ts';
import { messageFits } from './refuse.ts';
import type { OpenUserHandler, UserHandler, UserPacket } from './types.ts';

/**
 * SEND from one of our users. The answer says what is known: `+OK` naming the recipient's server
 * once that server took the message (this one, or another that answered the SEND we passed on);
 * `-ERR` when nobody has the name (no neighbour to ask, or every server asked said so); `+OK` with
 * no Server, saying "not confirmed", only when a server asked stayed silent for `probeInterval`
 * (a spec-strict server answers nothing about a relayed SEND). A recipient our directory places
 * is asked at its server; one it does not know, at every neighbour (a FIND-like flood, each server
 * answering the one that passed it on: send-outcomes.ts).
 */
export const send: UserHandler<'SEND'> = (ctx, packet, inbound) => {
  if (!messageFits(ctx, inbound, packet)) return;
  const alias = packet.command.alias;
  const answer = (status: Status, lists: ReplyLists) =>
    ctx.outbox.reply(packet, status, { cause: inbound, ...lists });
  if (deliverLocally(ctx, packet, inbound)) {
    answer('+OK', { servers: [ctx.self], messages: [`${alias} took it here`] });
    return;
  }
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  const asked = entry ? [entry.server] : ctx.neighbours.list();
  if (asked.length === 0) {
    answer('-ERR', { messages: [`nobody has ${alias}: not known here, and no neighbour server to ask`] });
    return;
  }
  // Marked as seen here, so that the flood coming back to us through a cycle ends.
  const key = sendKey(packet);
  const now = ctx.clock.now();
  if (ctx.relayed.has(key, now) && !ctx.sendOutcomes.has(key)) {
    const again = `not confirmed: the same message to ${alias} was passed on less than ${ctx.options.relayWindow} ms ago`;
    answer('+OK', { messages: [again] });
    return;
  }
  if (!ctx.relayed.has(key, now) && !ctx.relayed.mark(key, now, endpointKey(packet.sender))) {
    answer('-ERR', { messages: [`${alias} is not known here, and this server passes on no more just now`] });
    return;
  }
  for (const server of asked) ctx.outbox.send(packet, server, { cause: inbound });
  ctx.sendOutcomes.await(key, asked, ctx.options.probeInterval, (outcome) => {
    if (outcome.kind === 'delivered') {
      const { holder } = outcome;
      answer('+OK', { servers: [holder], messages: [`${alias}'s server ${holder.alias} took it`] });
    } else if (outcome.kind === 'nobody') {
      const names = outcome.asked.map((s) => s.alias).join(', ');
      answer('-ERR', { messages: [`nobody has ${alias}: asked ${names}`] });
    } else {
      answer('+OK', { messages: [unconfirmed(outcome)] });
    }
  });
};

/** Why a SEND passed on is not confirmed: who did not answer, who had no answer from further on. */
function unconfirmed(outcome: Extract<SendOutcome, { kind: 'unconfirmed' }>): string {
  const names = (servers: Server[]) => servers.map((s) => s.alias).join(', ');
  const parts: string[] = [];
  if (outcome.silent.length > 0) parts.push(`no answer from ${names(outcome.silent)}`);
  if (outcome.unsure.length > 0) parts.push(`${names(outcome.unsure)} had none from servers further on`);
  return `not confirmed: ${parts.join('; ')}`;
}

/** A server's answer about a SEND we passed on to it (send-outcomes.ts). */
export function sendAnswered(
  ctx: ServerContext,
  reply: ServerReply & { command: UserPacket<'SEND'> },
  inbound: Inbound,
): void {
  if (!ctx.neighbours.isNeighbour(inbound.from)) return;
  ctx.sendOutcomes.answer(sendKey(reply.command), inbound.from, reply);
}

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
 * A SEND another server passed on to us: deliver it if the recipient is ours. If it is not (the
 * passing server's directory was behind, or it floods a name it does not know), pass it on to
 * where our directory says the recipient is, after any claim on the alias is settled (as a FIND
 * waits), or else to our other neighbours. Each server passes a given SEND on at most once per
 * `relayWindow` (it shares the FIND seen-set), so stale directories cannot make it loop and a
 * flood ends. Whatever happens, the server that passed it on is answered (send-outcomes.ts):
 * `+OK` naming the server that took it, `-ERR` when it is not here and nobody further on has it
 * (or we already have it from another path), `+OK` with no Server when a server further on stayed
 * silent for half a `probeInterval` (less than the asking server waits).
 */
export const relayedSend: OpenUserHandler<'SEND'> = (ctx, packet, inbound) => {
  // A relayed message is held to the size a user's own would be.
  const bytes = new TextEncoder().encode(packet.command.message).length;
  if (bytes > ctx.options.limits.messageBytes) {
    ctx.counters.overLimit++;
    const bound = `message is ${bytes} bytes; at most ${ctx.options.limits.messageBytes}`;
    answerRelay(ctx, packet, inbound, '-ERR', { messages: [bound] });
    return;
  }
  afterClaims(ctx, packet.command.alias, () => passOnSend(ctx, packet, inbound));
};

/** Tells the server that passed `packet` on (the datagram's source) what became of it. */
function answerRelay(
  ctx: ServerContext,
  packet: UserPacket<'SEND'>,
  inbound: Inbound,
  status: Status,
  lists: ReplyLists,
): void {
  ctx.outbox.reply(packet, status, { cause: inbound, to: inbound.from, ...lists });
}

function passOnSend(ctx: ServerContext, packet: UserPacket<'SEND'>, inbound: Inbound): void {
  const alias = packet.command.alias;
  const relayedBy = inbound.from;
  const key = sendKey(packet);
  const now = ctx.clock.now();
  if (ctx.relayed.has(key, now)) {
    // A copy of one delivered or passed on already: whoever brought it first gets the answer.
    answerRelay(ctx, packet, inbound, '-ERR', { messages: ['already passed on here'] });
    return;
  }
  // Our own users get it even when the seen-set is too full to remember it.
  const first = ctx.relayed.mark(key, now, endpointKey(relayedBy));
  if (deliverLocally(ctx, packet, inbound)) {
    answerRelay(ctx, packet, inbound, '+OK', { servers: [ctx.self], messages: [`${alias} took it here`] });
    return;
  }
  if (!first) {
    answerRelay(ctx, packet, inbound, '-ERR', { messages: ['this server passes on no more just now'] });
    return;
  }
  const entry = ctx.directory.lookup(alias, ctx.clock.now());
  const placed = entry && !sameEndpoint(entry.server, relayedBy) && !sameEndpoint(entry.server, ctx.self);
  const asked = placed ? [entry.server] : ctx.neighbours.list().filter((s) => !sameEndpoint(s, relayedBy));
  if (asked.length === 0) {
    answerRelay(ctx, packet, inbound, '-ERR', {
      messages: [`${alias} is not known here; no other server to ask`],
    });
    return;
  }
  for (const server of asked) ctx.outbox.send(packet, server, { cause: inbound });
  ctx.sendOutcomes.await(key, asked, ctx.options.probeInterval / 2, (outcome) => {
    if (outcome.kind === 'delivered') answerRelay(ctx, packet, inbound, '+OK', { servers: [outcome.holder] });
    else if (outcome.kind === 'nobody')
      answerRelay(ctx, packet, inbound, '-ERR', { messages: [`${alias} is not known here or further on`] });
    else answerRelay(ctx, packet, inbound, '+OK', { messages: [unconfirmed(outcome)] });
  });
}

function deliverLocally(ctx: ServerContext, packet: UserPacket<'SEND'>, inbound: Inbound): boolean {
  const recipient = ctx.registry.holding(packet.command.alias);
  if (!recipient) return false;
  ctx.outbox.send(reply(ctx.self, '+OK', packet), recipient.user, { cause: inbound });
  if (plantedFaults.has('deliverTwice'))
    ctx.outbox.send(reply(ctx.self, '+OK', packet), recipient.user, { cause: inbound });
  return true;
}
