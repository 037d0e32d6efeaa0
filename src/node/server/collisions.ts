/**
 * Passing on a collision of server aliases that only a third server can see (Section II.i: a
 * server that "knows a server with a conflict of that name" speaks up).
 *
 * DISCOVER goes out on the claimant's own channels and KNOWNSERVERS names only the sender's
 * neighbours, so two servers that claimed one alias while apart, on channels joined only through
 * bridging servers, never hear of each other; a bridge may know both, one as a neighbour or from a
 * neighbour's list, the other from another neighbour's list. Such a server tells each side of the
 * other by a unicast KNOWNSERVERS naming it (after the sender itself), sent the way it learned of that side: to the holder
 * itself when it is a neighbour, else to the neighbour that listed it, which sees the collision
 * too and passes it on in turn. A holder told of another server with its alias asks that server
 * (discovery.ts, `clash`), and only their own DISCOVER exchange decides which renames: a list never
 * renames anyone. One collision is passed on at most once per gossip expiry, so the telling ends.
 */
import type { Server } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import type { ServerContext } from './context.ts';

export class Collisions {
  readonly #ctx: ServerContext;
  /** When each collision (alias and both addresses) was last passed on (`limits.collisions`). */
  readonly #told: BoundedMap<string, number>;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
    this.#told = new BoundedMap(ctx.options.limits.collisions);
  }

  /**
   * `server` is said to hold its alias: by itself (`lister` is `server`) or in the KNOWNSERVERS of
   * the neighbour `lister`. Call before recording it: a known holder at another address is a
   * collision, passed on to both sides.
   */
  check(server: Server, lister: Server): void {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    const holder = ctx.knownServers.holder(server.alias, now);
    if (!holder || sameEndpoint(holder.server, server)) return;
    const key = `${server.alias} ${[endpointKey(holder.server), endpointKey(server)].sort().join(' ')}`;
    const at = this.#told.get(key);
    if (at !== undefined && now - at < 3 * ctx.options.gossipInterval) return;
    this.#told.set(key, now);
    this.#tell(holder.via, server);
    this.#tell(lister, holder.server);
  }

  /**
   * A unicast KNOWNSERVERS naming us and then `about`, to the neighbour `to`: a list of neighbours
   * never names its sender, so the receiver does not take this one for ours (handlers/gossip.ts).
   */
  #tell(to: Server, about: Server): void {
    const ctx = this.#ctx;
    if (sameEndpoint(to, about) || sameEndpoint(to, ctx.self) || !ctx.neighbours.isNeighbour(to)) return;
    ctx.outbox.send(
      {
        kind: 'ServerCommand',
        sender: ctx.self,
        command: { verb: 'KNOWNSERVERS', servers: [ctx.self, about] },
      },
      to,
    );
  }
}
