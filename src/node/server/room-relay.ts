/**
 * Rooms across the network (docs/protocol.md, "Rooms across the network"). Every server keeps the
 * whole room: its own members and the other servers' members. A server tells its neighbours what
 * it told its own room's members, as the same `+OK` echo of the member's command, naming the
 * member's server and numbering the member's events:
 *
 *   SERVERREPLY SERVER beta … +OK USERNODE ann … JOINROOM lounge SERVER alpha … MESSAGE lounge\0 MESSAGE k3x.7\0
 *
 * (JOINROOM, CREATEROOM, LEAVEROOM, EXIT, or CSEND whose first Message is then the line; the
 * reply's Messages are the room and `epoch.n`, the n-th event of the member's stream at its
 * server: a stream begins with the member's first room event since it registered, and its epoch
 * is new each time, across restarts too.) Each server acts on an event once and in its number's
 * order (room-order.ts) and passes it on to the neighbours that may not have it, so it floods the
 * network as a FIND does. Every
 * `gossipInterval` a server lists its own members of each room (a `+OK` echo of the first one's
 * JOINROOM, every member as a UserNode, Messages the room, `members` and the listing's number),
 * passed on the same way; a member not listed again within SILENT_INTERVALS intervals is gone:
 * its server is cut off (a netsplit), and it comes back with the next listing that reaches us (a
 * netjoin). A new neighbour is sent every listing we hold at once, so a restarted server, or one
 * on the other side of a healed partition, has the rooms within one round trip.
 *
 * Servers tell their own users in the room what changed, with a `+OK` echo of the member's
 * JOINROOM, LEAVEROOM or EXIT whose Messages are the room and `joined`, `left`, `quit`, `split`
 * or `back`.
 */
import { createHash } from 'node:crypto';
import type { Server, ServerReply, UCommand, UserCommand, UserNode } from '../../ast.ts';
import { serialize } from '../../serialize.ts';
import { isRoomName } from '../../values.ts';
import { BoundedMap } from '../bounded-map.ts';
import type { RoomChange } from '../room-changes.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { addressSize, chunk, reply } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { Inbound } from './inbound.ts';
import type { Registration } from './registry.ts';
import { RoomOrder } from './room-order.ts';

/** The room events a server passes on. */
const EVENT_VERBS = new Set(['JOINROOM', 'CREATEROOM', 'LEAVEROOM', 'EXIT', 'CSEND']);

/** The second Message of a listing. */
const LISTING = 'members';

/** A listing sent to one new neighbour only, not to be passed on. */
const SYNC = 'sync';

/** Members who split off recently, remembered so that their return reads `back` (bounded). */
const SPLITS_REMEMBERED = 1_024;

/** Whether a reply from a server is one of the room messages servers exchange (dispatch.ts). */
export function isRoomTraffic(reply: ServerReply): reply is ServerReply & { command: UserCommand } {
  return reply.command.kind === 'UserCommand' && EVENT_VERBS.has(reply.command.command.verb);
}

export class RoomRelay {
  readonly #ctx: ServerContext;
  readonly #ttl: number;
  readonly #order: RoomOrder;
  /** This run of the server: other servers start our members' numbers afresh when it changes. */
  readonly #epoch: string;
  /**
   * Each of our members' stream: its epoch (ours, and how many streams we began before it, so a
   * user who quits and registers again starts a new stream) and its last event number. Bounded:
   * a stream forgotten (a user renamed many times) begins anew with a new epoch, which is safe.
   */
  readonly #streams: BoundedMap<string, { epoch: string; n: number }>;
  #streamsBegun = 0;
  #listings = 0;
  /** `room alias` -> when it split off. */
  readonly #splits = new BoundedMap<string, number>(SPLITS_REMEMBERED);

  /** A remote member lives `ttl` ms after its server last listed it. */
  constructor(ctx: ServerContext, ttl: number) {
    this.#ctx = ctx;
    this.#ttl = ttl;
    this.#order = new RoomOrder(ctx.clock, ctx.options.probeInterval, ctx.options.limits.roomMembers);
    this.#epoch = Math.floor(ctx.options.random() * 36 ** 6).toString(36);
    this.#streams = new BoundedMap(ctx.options.limits.users);
  }

  // Our own members: tell our other members and the network.

  /** One of our users joined (or created) `room`; `wasMember`: it was in the room already (elsewhere, or here). */
  joined(member: Registration, room: string, verb: 'JOINROOM' | 'CREATEROOM', wasMember: boolean): void {
    if (!wasMember) this.#tell(room, member.user, 'joined');
    this.#announce(member.user, { verb, room }, room);
  }

  left(member: Registration, room: string): void {
    this.#tell(room, member.user, 'left');
    this.#announce(member.user, { verb: 'LEAVEROOM', room }, room);
  }

  /** One of our users is gone (EXIT, or silent too long), out of `rooms`. */
  quit(member: Registration, rooms: readonly string[]): void {
    for (const room of rooms) {
      this.#tell(room, member.user, 'quit');
      this.#announce(member.user, { verb: 'EXIT' }, room);
    }
    this.#streams.delete(member.user.alias);
  }

  /** One of our users said `message` in `room`: our other members got it; now the network. */
  said(member: Registration, room: string, message: string): void {
    this.#announce(member.user, { verb: 'CSEND', message }, room);
  }

  #announce(member: UserNode, command: UCommand, room: string): void {
    const ctx = this.#ctx;
    const stream = this.#streams.get(member.alias) ?? {
      epoch: `${this.#epoch}${(this.#streamsBegun++).toString(36)}`,
      n: 0,
    };
    stream.n++;
    this.#streams.set(member.alias, stream);
    const echoed: UserCommand = { kind: 'UserCommand', sender: member, command };
    const event = reply(ctx.self, '+OK', echoed, {
      servers: [ctx.self],
      messages: [room, `${stream.epoch}.${stream.n}`],
    });
    ctx.outbox.sendAll(event, ctx.neighbours.list());
  }

  // From other servers.

  /** A room event or listing from a neighbour (dispatch.ts hands every one here). */
  receive(packet: ServerReply & { command: UserCommand }, inbound: Inbound): void {
    const ctx = this.#ctx;
    const from = inbound.from;
    if (!ctx.neighbours.isNeighbour(from) || packet.status !== '+OK') return;
    const [host] = packet.servers;
    const [room, second, third] = packet.messages;
    if (packet.servers.length !== 1 || !host || room === undefined || !isRoomName(room)) {
      ctx.counters.undecodable++;
      return;
    }
    // Our own event or listing, back through a cycle.
    if (sameEndpoint(host, ctx.self)) return;
    if (room.length > ctx.options.limits.nameLength) {
      ctx.counters.overLimit++;
      return;
    }
    if (second === LISTING && third !== undefined) this.#listing(packet, host, room, third, inbound);
    else if (second !== undefined) this.#event(packet, host, room, second, inbound);
    else ctx.counters.undecodable++;
  }

  #event(
    packet: ServerReply & { command: UserCommand },
    host: Server,
    room: string,
    number: string,
    inbound: Inbound,
  ): void {
    const ctx = this.#ctx;
    const parsed = /^([A-Za-z0-9]{1,24})\.(\d{1,15})$/.exec(number);
    const member = packet.command.sender;
    const command = packet.command.command;
    const roomOfCommand = 'room' in command ? command.room : room;
    if (!parsed || roomOfCommand !== room) {
      ctx.counters.undecodable++;
      return;
    }
    if (
      command.verb === 'CSEND' &&
      new TextEncoder().encode(command.message).length > ctx.options.limits.messageBytes
    ) {
      ctx.counters.overLimit++;
      return;
    }
    // Where the member is may be being settled (a user that just moved): judged once it is.
    ctx.contests.afterClaims(member.alias, () => {
      if (!this.#vouched(member, host, inbound.from)) {
        ctx.counters.spoofed++;
        return;
      }
      const key = `${endpointKey(host)} ${member.alias}`;
      const taken = this.#order.take(key, parsed[1] as string, Number(parsed[2]), () =>
        this.#apply(packet.command, host, room),
      );
      if (taken === 'new') this.#passOn(packet, host, inbound.from);
    });
  }

  #apply(echoed: UserCommand, host: Server, room: string): void {
    const ctx = this.#ctx;
    const member = echoed.sender;
    const command = echoed.command;
    switch (command.verb) {
      case 'JOINROOM':
      case 'CREATEROOM':
        this.#add(room, member, host, 'joined');
        return;
      case 'LEAVEROOM':
        if (ctx.rooms.removeRemote(room, member.alias, host)) this.#tell(room, member, 'left');
        return;
      case 'EXIT':
        if (ctx.rooms.removeRemote(room, member.alias, host)) this.#tell(room, member, 'quit');
        return;
      case 'CSEND': {
        // A line from someone whose JOINROOM was lost on every path: its server vouches it is in.
        if (!this.#add(room, member, host, 'joined')) return;
        const line = reply(ctx.self, '+OK', echoed, { messages: [room] });
        ctx.outbox.sendAll(
          line,
          [...ctx.rooms.local(room)].map((r) => r.user),
        );
        return;
      }
    }
  }

  #listing(packet: ServerReply, host: Server, room: string, id: string, inbound: Inbound): void {
    const ctx = this.#ctx;
    if (packet.users.length === 0) {
      ctx.counters.undecodable++;
      return;
    }
    for (const user of packet.users) {
      ctx.contests.afterClaims(user.alias, () => {
        if (this.#vouched(user, host, inbound.from)) this.#add(room, user, host, 'back');
        else ctx.counters.spoofed++;
      });
    }
    if (id === SYNC) return;
    const digest = createHash('sha256')
      .update(id)
      .update(packet.users.map(endpointKey).join(' '))
      .digest('base64');
    const key = `ROOM ${endpointKey(host)} ${room} ${digest}`;
    if (ctx.relayed.mark(key, ctx.clock.now(), endpointKey(inbound.from)))
      this.#passOn(packet, host, inbound.from);
  }

  /**
   * Records `user` in `room` at `host`; false when it cannot be held. A member new to the room is
   * announced to our users: `joined`, or `back` when a listing brings back one who split off.
   */
  #add(room: string, user: UserNode, host: Server, how: 'joined' | 'back'): boolean {
    const ctx = this.#ctx;
    const limits = ctx.options.limits;
    const newRoom = !ctx.rooms.has(room);
    const newMember = !ctx.rooms.isMember(room, user.alias);
    if (
      (newRoom && ctx.rooms.size >= limits.rooms) ||
      (newMember && ctx.rooms.memberCount(room) >= limits.membersPerRoom)
    ) {
      ctx.counters.overLimit++;
      return false;
    }
    const added = ctx.rooms.addRemote(room, user, host, ctx.clock.now() + this.#ttl);
    if (added === 'full') {
      ctx.counters.overLimit++;
      return false;
    }
    if (added === 'new') {
      const splitKey = `${room} ${user.alias}`;
      const back = how === 'back' && this.#splits.has(splitKey);
      this.#splits.delete(splitKey);
      this.#tell(room, user, back ? 'back' : 'joined');
    }
    return true;
  }

  /**
   * Whether `host` may speak for `member`. Never for one of our own users. A member our directory
   * (its server's own KNOWNUSERS) places at another server is not `host`'s. When `host` is our
   * neighbour it would tell us itself, so another server passing on its word is believed only
   * where our directory confirms the member is at `host`; for a server further away we rely on
   * the neighbour that passed it on, as for a FIND's answer.
   */
  #vouched(member: UserNode, host: Server, from: Server | Inbound['from']): boolean {
    const ctx = this.#ctx;
    if (ctx.registry.holding(member.alias)) return false;
    const placed = ctx.directory.lookup(member.alias, ctx.clock.now());
    if (placed) return sameEndpoint(placed.server, host);
    return sameEndpoint(host, from) || !ctx.neighbours.isNeighbour(host);
  }

  /**
   * Passes an event or listing on to the neighbours that may not have it: not the one it came
   * from, nor the host, nor their own neighbours (as their KNOWNSERVERS list them). The host sends
   * to all of its neighbours, and a server passing it on to all of its own but those, so in a
   * channel where every server neighbours every other a line costs one datagram per server, not
   * one per pair (a copy lost on the direct path is not made up by another).
   */
  #passOn(packet: ServerReply, host: Server, from: Inbound['from']): void {
    const ctx = this.#ctx;
    const onward = { ...packet, sender: ctx.self };
    const reached = (s: Server) =>
      sameEndpoint(s, from) ||
      sameEndpoint(s, host) ||
      ctx.neighbours.neighbourOf(host, s) ||
      ctx.neighbours.neighbourOf(from, s);
    ctx.outbox.sendAll(
      onward,
      ctx.neighbours.list().filter((s) => !reached(s)),
    );
  }

  /** Tells our users in `room` (but `member`) what `member` did. */
  #tell(room: string, member: UserNode, change: RoomChange): void {
    const ctx = this.#ctx;
    const command: UCommand =
      change === 'joined' || change === 'back'
        ? { verb: 'JOINROOM', room }
        : change === 'quit'
          ? { verb: 'EXIT' }
          : { verb: 'LEAVEROOM', room };
    const notice = reply(
      ctx.self,
      '+OK',
      { kind: 'UserCommand', sender: member, command },
      { messages: [room, change] },
    );
    const to = [...ctx.rooms.local(room)].map((r) => r.user).filter((u) => !sameEndpoint(u, member));
    ctx.outbox.sendAll(notice, to);
  }

  // Every gossip interval, and for a new neighbour.

  /** Remote members not listed for too long split off; our own members are listed to every neighbour. */
  tick(): void {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    for (const { room, member } of ctx.rooms.expire(now)) {
      this.#splits.set(`${room} ${member.user.alias}`, now);
      this.#tell(room, member.user, 'split');
    }
    this.#listings++;
    const neighbours = ctx.neighbours.list();
    if (neighbours.length === 0) return;
    for (const room of ctx.rooms.localNames()) {
      const members = [...ctx.rooms.local(room)].map((r) => r.user);
      for (const packet of this.#listingPackets(room, ctx.self, members, `${this.#epoch}.${this.#listings}`))
        ctx.outbox.sendAll(packet, neighbours);
    }
  }

  /** A new neighbour: every room we know, as listings for it alone. */
  sendTo(server: Server): void {
    const ctx = this.#ctx;
    for (const room of ctx.rooms.names()) {
      const local = [...ctx.rooms.local(room)].map((r) => r.user);
      for (const packet of this.#listingPackets(room, ctx.self, local, SYNC)) ctx.outbox.send(packet, server);
      const byHost = new Map<string, { host: Server; users: UserNode[] }>();
      for (const member of ctx.rooms.remote(room)) {
        if (sameEndpoint(member.host, server)) continue;
        const key = endpointKey(member.host);
        const group = byHost.get(key) ?? { host: member.host, users: [] };
        group.users.push(member.user);
        byHost.set(key, group);
      }
      for (const { host, users } of byHost.values())
        for (const packet of this.#listingPackets(room, host, users, SYNC)) ctx.outbox.send(packet, server);
    }
  }

  /** `host`'s members of `room`, split to fit datagrams. */
  #listingPackets(room: string, host: Server, members: UserNode[], id: string): ServerReply[] {
    const first = members[0];
    if (!first) return [];
    const lists = { servers: [host], messages: [room, LISTING, id] };
    const echoed = (sender: UserNode): UserCommand => ({
      kind: 'UserCommand',
      sender,
      command: { verb: 'JOINROOM', room },
    });
    // The longest alias makes the base long enough for any part's echoed command.
    const longest = members.reduce((a, b) => (addressSize(b) > addressSize(a) ? b : a), first);
    const base = serialize(reply(this.#ctx.self, '+OK', echoed(longest), lists)).length;
    return chunk(members, base, addressSize).map((users) =>
      reply(this.#ctx.self, '+OK', echoed(users[0] as UserNode), { ...lists, users }),
    );
  }
}
