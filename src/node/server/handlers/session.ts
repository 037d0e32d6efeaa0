import type { ServerContext } from '../context.ts';
import type { Gossip } from '../gossip.ts';
import type { Inbound } from '../inbound.ts';
import type { Registration } from '../registry.ts';
import type { UserHandler, UserPacket } from './types.ts';

/** LIST: every user this server knows, its own and its directory's. */
export const list: UserHandler<'LIST'> = (ctx, packet, inbound) => {
  const remote = ctx.directory.entries(ctx.clock.now()).filter((e) => !ctx.registry.holding(e.user.alias));
  const users = [...ctx.registry.userNodes(), ...remote.map((e) => e.user)];
  inbound.reply(packet, '+OK', { users });
};

/** EXIT: deregisters the sender and takes it out of every room. */
export function exit(
  ctx: ServerContext,
  packet: UserPacket<'EXIT'>,
  inbound: Inbound,
  registration: Registration,
  gossip: Gossip,
): void {
  ctx.rooms.leaveAll(registration);
  ctx.registry.remove(registration);
  inbound.reply(packet, '+OK');
  ctx.emit('userLeft', registration.user);
  gossip.soon();
}
