import type { ServerHandler } from './types.ts';

/** KNOWNUSERS: the sender hosts these users now. Our own users stay ours. */
export const knownUsers: ServerHandler<'KNOWNUSERS'> = (ctx, packet) => {
  const now = ctx.now();
  ctx.neighbours.heard(packet.sender, now);
  for (const user of packet.command.users) {
    if (!ctx.registry.holding(user.alias)) ctx.directory.learn(user, packet.sender, now);
  }
};

/** KNOWNSERVERS: the sender's neighbours; remembered by alias for collision checks. */
export const knownServers: ServerHandler<'KNOWNSERVERS'> = (ctx, packet) => {
  const now = ctx.now();
  ctx.neighbours.heard(packet.sender, now);
  ctx.neighbours.know(packet.sender, now);
  for (const server of packet.command.servers) {
    if (server.alias !== ctx.self.alias) ctx.neighbours.know(server, now);
  }
};
