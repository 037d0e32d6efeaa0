import type { UserHandler } from './types.ts';

/** LIST: every user this server knows, its own and its directory's. */
export const list: UserHandler<'LIST'> = (ctx, packet) => {
  const remote = ctx.directory.entries(ctx.now()).filter((e) => !ctx.registry.holding(e.user.alias));
  const users = [...ctx.registry.userNodes(), ...remote.map((e) => e.user)];
  ctx.reply(packet, '+OK', { users });
};

/** EXIT: deregisters the sender and takes it out of every room. */
export const exit: UserHandler<'EXIT'> = (ctx, packet, registration) => {
  ctx.rooms.leaveAll(registration);
  ctx.registry.remove(registration);
  ctx.reply(packet, '+OK');
  ctx.emit('userLeft', registration.user);
  ctx.gossipSoon();
};
