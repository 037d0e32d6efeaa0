import type { Server, UserNode } from '../../../ast.ts';
import { sameEndpoint } from '../../transport.ts';
import type { ServerContext } from '../context.ts';
import type { ServerHandler } from './types.ts';

/**
 * KNOWNUSERS: the sender hosts these users now. Entries for users we host too are kept: lookups
 * ask our registry first, and a user that has just come back from us to its home server is then
 * already known there when it EXITs here.
 *
 * An alias another live server already holds keeps its first owner: a rogue server cannot take
 * over a live user by naming it. The first owner is asked (a liveness probe) and loses the alias
 * only if it does not answer, as when the user moved to a backup because its server died. A FIND
 * for the alias waits for that answer (at most `probeInterval`), so it never names the dead server.
 */
export const knownUsers: ServerHandler<'KNOWNUSERS'> = (ctx, packet) => {
  const now = ctx.now();
  const claimant = packet.sender;
  heardFrom(ctx, claimant);
  for (const user of packet.command.users) {
    const held = ctx.directory.lookup(user.alias, now);
    if (!held || sameEndpoint(held.server, claimant)) {
      learn(ctx, user, claimant);
      continue;
    }
    const later = ctx.withScope();
    const settled = ctx.isAlive(held.server).then((alive) =>
      later(() => {
        const still = ctx.directory.lookup(user.alias, ctx.now());
        if (alive && still && sameEndpoint(still.server, held.server)) return;
        learn(ctx, user, claimant);
      }),
    );
    ctx.directory.contest(user.alias, settled);
  }
};

function learn(ctx: ServerContext, user: UserNode, server: Server): void {
  if (!ctx.directory.learn(user, server, ctx.now())) ctx.counters.overLimit++;
}

/** KNOWNSERVERS: the sender's neighbours; remembered by alias for collision checks. */
export const knownServers: ServerHandler<'KNOWNSERVERS'> = (ctx, packet) => {
  const now = ctx.now();
  heardFrom(ctx, packet.sender);
  ctx.neighbours.know(packet.sender, now);
  for (const server of packet.command.servers) {
    if (server.alias !== ctx.self.alias) ctx.neighbours.know(server, now);
    else if (!sameEndpoint(server, ctx.self)) ctx.aliasClash(server, false);
  }
};

/**
 * Any gossip: refreshes the sender as a neighbour, settles an alias both of us hold (possible
 * only after a partition healed), and greets a gossiping stranger so it becomes a neighbour.
 */
function heardFrom(ctx: ServerContext, sender: Server): void {
  ctx.neighbours.heard(sender, ctx.now());
  if (sender.alias === ctx.self.alias) ctx.aliasClash(sender, true);
  else if (!ctx.neighbours.isNeighbour(sender)) ctx.greet(sender);
}
