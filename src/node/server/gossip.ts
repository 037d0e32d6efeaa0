/**
 * Section I.ii: servers tell each other whom they host (KNOWNUSERS) and whom they neighbour
 * (KNOWNSERVERS), by multicast on every channel, every `gossipInterval` and soon after a change.
 * Lists are split so no datagram exceeds MAX_DATAGRAM. Each tick also expires what fell silent:
 * directory entries, neighbours silent for longer than they have shown and not answering a
 * liveness probe (neighbours.ts), and users silent for `userExpiry`. Attached users are told the
 * neighbours (their failover list) whenever it changes (Section II.iv).
 *
 * Incremental gossip (`fullListEvery` > 1): the whole user list goes out every `fullListEvery`
 * ticks, to a new neighbour, and whenever a user this server last listed is gone (a departure is
 * told by leaving it out of a whole round, directory.ts); otherwise KNOWNUSERS names only the users
 * who arrived since the last list, which receivers add without starting a round.
 */
import type { Server, ServerCommand, UserNode } from '../../ast.ts';
import { serialize } from '../../serialize.ts';
import type { Timer } from '../clock.ts';
import { addressSize, chunk, FAILOVER_LIST } from '../wire.ts';
import type { ServerContext } from './context.ts';
import { expireSilentUsers } from './expiry.ts';
import type { Inbound } from './inbound.ts';
import type { Liveness } from './liveness.ts';
import type { RoomRelay } from './room-relay.ts';

/**
 * The neighbours a user is told, its failover list: at most FAILOVER_LIST, its preferred server
 * first when that is a neighbour (a server that came back is how a guest gets home).
 */
export function failoverList(ctx: ServerContext, user: UserNode): Server[] {
  const preferred = ctx.registry.at(user)?.preferred.alias;
  const neighbours = ctx.neighbours.list();
  const first = neighbours.filter((s) => s.alias === preferred);
  return [...first, ...neighbours.filter((s) => s.alias !== preferred)].slice(0, FAILOVER_LIST);
}

/** A user as our lists name it: alias and address. */
function userKey(user: UserNode): string {
  return `${user.alias} ${user.ip}:${user.port}`;
}

export class Gossip {
  readonly #ctx: ServerContext;
  readonly #mayAnnounce: () => boolean;
  readonly #save: () => void;
  readonly #liveness: Liveness;
  readonly #rooms: RoomRelay;
  #timer: Timer | undefined;
  #soon: Timer | undefined;
  /** Set while users were told of a change less than `gossipInterval` ago. */
  #usersTold: Timer | undefined;
  /** Neighbours changed since users were last told. */
  #usersStale = false;
  /** The users our KNOWNUSERS has named since the last whole list, by alias and address. */
  #listed = new Set<string>();
  /** Ticks since the last whole list. */
  #ticks = 0;
  /** Neighbours changed since our last KNOWNSERVERS. */
  #neighboursStale = true;

  /**
   * `mayAnnounce` is false while the alias is being probed: a claim is not yet a name. `save`
   * writes the state file, which names the neighbours. `liveness` asks a silent neighbour
   * whether it lives before it is dropped. `rooms` lists our room members on the same beat, and
   * to a new neighbour with our gossip.
   */
  constructor(
    ctx: ServerContext,
    mayAnnounce: () => boolean,
    save: () => void,
    liveness: Liveness,
    rooms: RoomRelay,
  ) {
    this.#ctx = ctx;
    this.#mayAnnounce = mayAnnounce;
    this.#save = save;
    this.#liveness = liveness;
    this.#rooms = rooms;
  }

  start(): void {
    this.#timer = this.#ctx.clock.setInterval(() => this.tick(), this.#ctx.options.gossipInterval).unref();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#usersTold?.cancel();
    this.#soon?.cancel();
  }

  /** Coalesces changes made in one turn of the event loop into one round of gossip. */
  soon(): void {
    this.#soon ??= this.#ctx.clock.setImmediate(() => {
      this.#soon = undefined;
      this.announce(false, false);
    });
  }

  tick(): void {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    ctx.directory.sweep(now);
    if (expireSilentUsers(ctx, now, this.#rooms) > 0) this.soon();
    ctx.knownServers.expire(now);
    for (const server of ctx.neighbours.suspects(now)) this.#confirmSilence(server);
    this.#ticks++;
    this.announce(this.#ticks >= this.#ctx.options.fullListEvery, true);
    if (this.#mayAnnounce()) this.#rooms.tick();
  }

  /** A neighbour fell silent: it is lost only if it does not answer a liveness probe either. */
  #confirmSilence(server: Server): void {
    const ctx = this.#ctx;
    this.#liveness.isAlive(server).then((alive) => {
      // It may have gossiped while the probe was out: then it is not silent any more.
      if (alive || !ctx.neighbours.stillSilent(server, ctx.clock.now())) {
        ctx.neighbours.answered(server, ctx.clock.now());
        return;
      }
      if (!ctx.neighbours.lapse(server)) return;
      ctx.directory.forgetServer(server);
      ctx.emit('neighbourLost', server);
      this.neighboursChanged();
    });
  }

  /**
   * Multicasts our gossip: the whole user list when `full`, when a user we listed is gone, or
   * always when `fullListEvery` is 1; otherwise only the users who arrived since. KNOWNSERVERS at
   * every `tick` (it also says we live) and when the neighbours changed.
   */
  announce(full = true, tick = true): void {
    if (!this.#mayAnnounce()) return;
    const users = this.#ctx.registry.userNodes();
    const keys = users.map(userKey);
    const present = new Set(keys);
    const whole =
      full || this.#ctx.options.fullListEvery === 1 || [...this.#listed].some((k) => !present.has(k));
    if (whole) {
      this.#listed = new Set(keys);
      this.#ticks = 0;
    }
    const told = whole ? users : users.filter((_, i) => !this.#listed.has(keys[i] as string));
    for (const k of keys) this.#listed.add(k);
    // Between whole lists, a newcomer costs its KNOWNUSERS alone: KNOWNSERVERS goes out at every
    // tick and when the neighbours changed, not for each arrival.
    const servers = tick || this.#ctx.options.fullListEvery === 1 || this.#neighboursStale;
    this.#neighboursStale = false;
    for (const packet of this.packets(told)) {
      const verb = packet.command.verb;
      // Nobody arrived: no KNOWNUSERS at all (an empty one would say this server hosts nobody).
      if (verb === 'KNOWNUSERS' && !whole && told.length === 0) continue;
      if (verb === 'KNOWNSERVERS' && !servers) continue;
      this.#ctx.outbox.broadcast(packet);
    }
  }

  /**
   * A neighbour joined or left: tell every attached user, gossip, save the state. Users are told
   * at once, then at most once per `gossipInterval` however often neighbours change (a flood of
   * claims must not become a flood of KNOWNSERVERS to every user).
   */
  neighboursChanged(): void {
    this.#neighboursStale = true;
    this.soon();
    this.#save();
    if (this.#usersTold) {
      this.#usersStale = true;
      return;
    }
    this.#tellUsers();
  }

  #tellUsers(): void {
    for (const r of this.#ctx.registry.all()) this.tellUser(r.user);
    this.#usersStale = false;
    this.#usersTold = this.#ctx.clock
      .setTimeout(() => {
        this.#usersTold = undefined;
        if (this.#usersStale) this.#tellUsers();
      }, this.#ctx.options.gossipInterval)
      .unref();
  }

  /**
   * Sends one server our gossip by unicast: a new neighbour's first gossip is answered so, since
   * what we multicast before it took us as a neighbour it did not learn from.
   */
  sendTo(server: Server): void {
    for (const packet of this.packets()) this.#ctx.outbox.send(packet, server);
    this.#rooms.sendTo(server);
  }

  /**
   * Sends a user our neighbours, its failover list: the list changed, or the user just registered
   * (then `cause` is its PREFERRED, which pays for it if the user was a stranger). False when
   * withheld for want of that credit.
   */
  tellUser(user: UserNode, cause?: Inbound): boolean {
    const ctx = this.#ctx;
    const packet: ServerCommand = {
      kind: 'ServerCommand',
      sender: ctx.self,
      command: { verb: 'KNOWNSERVERS', servers: failoverList(ctx, user) },
    };
    return ctx.outbox.send(packet, user, { cause });
  }

  /**
   * This server's KNOWNUSERS (all its users, or `users`) and KNOWNSERVERS, split to fit
   * datagrams; the first is always a KNOWNUSERS (an empty one when there are no users).
   */
  packets(users: readonly UserNode[] = this.#ctx.registry.userNodes()): ServerCommand[] {
    const ctx = this.#ctx;
    const sender = ctx.self;
    const packets: ServerCommand[] = [];
    const usersBase = serialize({
      kind: 'ServerCommand',
      sender,
      command: { verb: 'KNOWNUSERS', users: [] },
    }).length;
    for (const part of chunk(users, usersBase, addressSize)) {
      packets.push({ kind: 'ServerCommand', sender, command: { verb: 'KNOWNUSERS', users: part } });
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
