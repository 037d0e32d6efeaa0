import type { Server, UserNode } from '../../../ast.ts';
import { sameEndpoint } from '../../transport.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { HandlerContext, ServerHandler } from './types.ts';

/**
 * KNOWNUSERS: the sender hosts these users now. Entries for users we host too are kept: lookups
 * ask our registry first, and a user that has just come back from us to its home server is then
 * already known there when it EXITs here.
 *
 * Only a neighbour's KNOWNUSERS is learned, and never one placing a user registered here at
 * another address.
 *
 * An alias another live server already holds keeps its first owner: a rogue server cannot take
 * over a live user by naming it. The first owner is asked (a liveness probe) and loses the alias
 * only if it does not answer, as when the user moved to a backup because its server died. A FIND
 * for the alias waits for that answer (at most `probeInterval`), so it never names the dead server.
 */
export const knownUsers: ServerHandler<'KNOWNUSERS'> = (ctx, packet, inbound) => {
  const now = ctx.clock.now();
  const claimant = packet.sender;
  if (!nameFits(ctx, claimant.alias)) return;
  heardFrom(ctx, claimant, inbound);
  // Who is where is learned from neighbours only: a round trip (DISCOVER) made them neighbours.
  if (!ctx.neighbours.isNeighbour(claimant)) return;
  ctx.directory.heard(claimant, now);
  ctx.directory.listing(claimant, packet.command.users, now);
  for (const user of packet.command.users) {
    if (!nameFits(ctx, user.alias)) continue;
    // A user registered here is where our registry says: gossip naming it elsewhere is ignored.
    const local = ctx.registry.holding(user.alias);
    if (local && !sameEndpoint(local.user, user)) continue;
    const held = ctx.directory.lookup(user.alias, now);
    if (!held || sameEndpoint(held.server, claimant)) {
      learn(ctx, user, claimant);
      continue;
    }
    const settled = ctx.liveness.isAlive(held.server, inbound).then((alive) => {
      const still = ctx.directory.lookup(user.alias, ctx.clock.now());
      if (alive && still && sameEndpoint(still.server, held.server)) return;
      learn(ctx, user, claimant);
    });
    ctx.contests.open(user.alias, settled);
  }
};

/** Gossip never brings in a name longer than this server lets anyone create (`limits.nameLength`). */
function nameFits(ctx: ServerContext, alias: string): boolean {
  if (alias.length <= ctx.options.limits.nameLength) return true;
  ctx.counters.overLimit++;
  return false;
}

/** An entry lives as long as its server may stay silent (neighbours.ts). */
function learn(ctx: ServerContext, user: UserNode, server: Server): void {
  const ttl = ctx.neighbours.allowedSilence(server);
  if (!ctx.directory.learn(user, server, ctx.clock.now(), ttl)) ctx.counters.overLimit++;
}

/**
 * KNOWNSERVERS: the sender's neighbours (or a collision it passes on, collisions.ts); remembered
 * by alias for collision checks. A server named with an alias another known server holds is a
 * collision: both are told of each other.
 */
export const knownServers: ServerHandler<'KNOWNSERVERS'> = (ctx, packet, inbound) => {
  const now = ctx.clock.now();
  if (!nameFits(ctx, packet.sender.alias)) return;
  heardFrom(ctx, packet.sender, inbound);
  // Which server holds which alias is learned from neighbours only, as who is where is.
  if (!ctx.neighbours.isNeighbour(packet.sender)) return;
  ctx.directory.heard(packet.sender, now);
  // A collision passed on (collisions.ts) names the sender first, as no list of neighbours does:
  // it is not the sender's neighbours, which room events are passed on by (room-relay.ts).
  const first = packet.command.servers[0];
  const collision = first !== undefined && sameEndpoint(first, packet.sender);
  ctx.collisions.check(packet.sender, packet.sender);
  ctx.knownServers.know(packet.sender, now);
  if (!collision)
    ctx.neighbours.toldNeighbours(
      packet.sender,
      packet.command.servers.slice(0, ctx.options.limits.neighbours),
    );
  for (const server of packet.command.servers) {
    if (!nameFits(ctx, server.alias)) continue;
    if (server.alias !== ctx.self.alias) {
      // A listed server becomes the holder of an alias nobody holds here; a holder we know is
      // replaced only by its own word (DISCOVER), never by someone else's list.
      const holder = ctx.knownServers.holder(server.alias, now);
      if (!holder || sameEndpoint(holder.server, server)) ctx.knownServers.know(server, now, packet.sender);
      else ctx.collisions.check(server, packet.sender);
    }
    if (server.alias === ctx.self.alias && !sameEndpoint(server, ctx.self)) ctx.discovery.clash(server);
  }
};

/**
 * Any gossip: refreshes the sender as a neighbour, settles an alias both of us hold (possible
 * only after a partition healed), and greets a gossiping stranger so it becomes a neighbour.
 */
function heardFrom(ctx: HandlerContext, sender: Server, inbound: Inbound): void {
  const now = ctx.clock.now();
  if (ctx.neighbours.heard(sender, now)) ctx.gossip.sendTo(sender);
  ctx.knownServers.heard(sender, now);
  if (sender.alias === ctx.self.alias) ctx.discovery.clash(sender);
  else if (!ctx.neighbours.isNeighbour(sender)) ctx.discovery.greet(sender, inbound);
}
