import type { UserCommand } from '../../../ast.ts';
import type { ServerContext } from '../context.ts';
import type { UserPacket } from './types.ts';

const encoder = new TextEncoder();

/** A request refused at one of the server's limits: -ERR with the reason, and counted. */
export function refuse(ctx: ServerContext, packet: UserCommand, reason: string): void {
  ctx.counters.overLimit++;
  ctx.reply(packet, '-ERR', { messages: [reason] });
}

/** SEND and CSEND: false (and refused) when the message is longer than `limits.messageBytes`. */
export function messageFits(ctx: ServerContext, packet: UserPacket<'SEND' | 'CSEND'>): boolean {
  const bytes = encoder.encode(packet.command.message).length;
  if (bytes <= ctx.limits.messageBytes) return true;
  refuse(ctx, packet, `message is ${bytes} bytes; at most ${ctx.limits.messageBytes}`);
  return false;
}
