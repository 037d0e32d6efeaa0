import { isMulticast } from '../../transport.ts';
import type { ServerHandler } from './types.ts';

/** JOINCHANNEL (Section II.ii): join the invited channel and say so; -ERR for a non-multicast address. */
export const joinChannel: ServerHandler<'JOINCHANNEL'> = (ctx, packet) => {
  const channel = { ip: packet.command.ip, port: packet.command.port };
  if (!isMulticast(channel.ip)) {
    ctx.reply(packet, '-ERR', { messages: [`${channel.ip} is not a multicast address (224.0.0.0/4)`] });
    return;
  }
  const later = ctx.withScope();
  ctx.joinChannel(channel).then(
    () => later(() => ctx.reply(packet, '+OK')),
    (error: Error) => later(() => ctx.reply(packet, '-ERR', { messages: [`cannot join: ${error.message}`] })),
  );
};
