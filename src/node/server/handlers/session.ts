import type { UserHandler } from './types.ts';

/** LIST: every user this server knows, its own and its directory's. */
export const list: UserHandler<'LIST'> = (ctx, packet, inbound) => {
  const remote = ctx.directory.entries(ctx.clock.now()).filter((e) => !ctx.registry.holding(e.user.alias));
  const users = [...ctx.registry.userNodes(), ...remote.map((e) => e.user)];
  ctx.outbox.reply(packet, '+OK', { cause: inbound, users });
};

/** EXIT: deregisters the sender and takes it out of every room. */
export const exit: UserHandler<'EXIT'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  ctx.roomRelay.quit(registration, ctx.rooms.leaveAll(registration));
  ctx.registry.remove(registration);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.emit('userLeft', registration.user);
  ctx.gossip.soon();
};
