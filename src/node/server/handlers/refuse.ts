import type { UserCommand } from '../../../ast.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { UserPacket } from './types.ts';

const encoder = new TextEncoder();

/** A request refused at one of the server's limits: -ERR with the reason, and counted. */
export function refuse(ctx: ServerContext, inbound: Inbound, packet: UserCommand, reason: string): void {
  ctx.counters.overLimit++;
  ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [reason] });
}

/** A name being created (alias, room): false (and refused) when longer than `limits.nameLength`. */
export function nameFits(ctx: ServerContext, inbound: Inbound, packet: UserCommand, name: string): boolean {
  if (name.length <= ctx.options.limits.nameLength) return true;
  refuse(
    ctx,
    inbound,
    packet,
    `${name.slice(0, 16)}... is ${name.length} characters; a name is at most ${ctx.options.limits.nameLength}`,
  );
  return false;
}

/** SEND and CSEND: false (and refused) when the message is longer than `limits.messageBytes`. */
export function messageFits(
  ctx: ServerContext,
  inbound: Inbound,
  packet: UserPacket<'SEND' | 'CSEND'>,
): boolean {
  const bytes = encoder.encode(packet.command.message).length;
  if (bytes <= ctx.options.limits.messageBytes) return true;
  refuse(ctx, inbound, packet, `message is ${bytes} bytes; at most ${ctx.options.limits.messageBytes}`);
  return false;
}
