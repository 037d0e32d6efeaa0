/**
 * Section I.ii: servers tell each other whom they host (KNOWNUSERS) and whom they neighbour
 * (KNOWNSERVERS), by multicast on every channel, every `gossipInterval` and soon after a change.
 * Lists are split so no datagram exceeds MAX_DATAGRAM. Each tick also expires what fell silent:
 * directory entries and neighbours not heard of for three intervals, and users silent for
 * `userExpiry`.
 */
import type { ServerCommand } from '../../ast.ts';
import { serialize } from '../../serialize.ts';
import { addressSize, chunk } from '../wire.ts';
import type { ServerContext } from './context.ts';
import { expireSilentUsers } from './expiry.ts';

export class Gossip {
  readonly #ctx: ServerContext;
  readonly #mayAnnounce: () => boolean;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;

  /** `mayAnnounce` is false while the alias is being probed: a claim is not yet a name. */
  constructor(ctx: ServerContext, mayAnnounce: () => boolean) {
    this.#ctx = ctx;
    this.#mayAnnounce = mayAnnounce;
  }

  start(): void {
    this.#timer = setInterval(() => this.tick(), this.#ctx.options.gossipInterval);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#soon) clearImmediate(this.#soon);
  }

  /** Coalesces changes made in one turn of the event loop into one round of gossip. */
  soon(): void {
    this.#soon ??= setImmediate(() => {
      this.#soon = undefined;
      this.announce();
    });
  }

  tick(): void {
    const ctx = this.#ctx;
    const now = ctx.now();
    ctx.directory.sweep(now);
    expireSilentUsers(ctx, now);
    const lost = ctx.neighbours.expire(now);
    for (const server of lost) {
      ctx.directory.forgetServer(server);
      ctx.emit('neighbourLost', server);
    }
    if (lost.length > 0) ctx.neighboursChanged();
    this.announce();
  }

  announce(): void {
    if (!this.#mayAnnounce()) return;
    for (const packet of this.packets()) this.#ctx.broadcast(packet);
  }

  /** This server's KNOWNUSERS and KNOWNSERVERS, split to fit datagrams. */
  packets(): ServerCommand[] {
    const ctx = this.#ctx;
    const sender = ctx.self;
    const packets: ServerCommand[] = [];
    const usersBase = serialize({
      kind: 'ServerCommand',
      sender,
      command: { verb: 'KNOWNUSERS', users: [] },
    }).length;
    for (const users of chunk(ctx.registry.userNodes(), usersBase, addressSize)) {
      packets.push({ kind: 'ServerCommand', sender, command: { verb: 'KNOWNUSERS', users } });
    }
    const serversBase = serialize({
      kind: 'ServerCommand',
      sender,
      command: { verb: 'KNOWNSERVERS', servers: [] },
    }).length;
    for (const servers of chunk(ctx.neighbours.list(), serversBase, addressSize)) {
      packets.push({ kind: 'ServerCommand', sender, command: { verb: 'KNOWNSERVERS', servers } });
    }
    return packets;
  }
}
