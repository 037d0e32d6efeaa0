/**
 * The network's chat rooms as this server knows them. A room is one room across the network
 * (docs/protocol.md, "Rooms across the network"): its members are this server's own users (their
 * registrations) and other servers' users, each with the server that hosts it, as those servers
 * told (room-relay.ts). A remote member lives until `expiresAt` unless its server lists it again;
 * a room ends with its last member, wherever that member was.
 */
import type { Server, UserNode } from '../../ast.ts';
import { sameEndpoint } from '../transport.ts';
import type { Registration } from './registry.ts';

/** A member hosted by another server. */
export interface RemoteMember {
  readonly user: UserNode;
  readonly host: Server;
  expiresAt: number;
}

/** What adding a remote member did. */
export type RemoteAdded = 'new' | 'moved' | 'refreshed' | 'full';

export class Rooms {
  readonly #local = new Map<string, Set<Registration>>();
  /** room -> member alias -> member. */
  readonly #remote = new Map<string, Map<string, RemoteMember>>();
  #remoteCount = 0;
  readonly #remoteLimit: number;

  /** At most `remoteLimit` remote memberships are held at once (`limits.roomMembers`). */
  constructor(remoteLimit = Number.POSITIVE_INFINITY) {
    this.#remoteLimit = remoteLimit;
  }

  /** How many rooms the network has, as far as this server knows. */
  get size(): number {
    let size = this.#local.size;
    for (const room of this.#remote.keys()) if (!this.#local.has(room)) size++;
    return size;
  }

  has(room: string): boolean {
    return this.#local.has(room) || this.#remote.has(room);
  }

  names(): string[] {
    return [...new Set([...this.#local.keys(), ...this.#remote.keys()])];
  }

  /** This server's own members of `room`. */
  local(room: string): ReadonlySet<Registration> {
    return this.#local.get(room) ?? new Set();
  }

  /** The rooms with members hosted here. */
  localNames(): string[] {
    return [...this.#local.keys()];
  }

  /** Other servers' members of `room`. */
  remote(room: string): RemoteMember[] {
    return [...(this.#remote.get(room)?.values() ?? [])];
  }

  /** Every member of `room`, ours first, as user nodes. */
  members(room: string): UserNode[] {
    return [...this.local(room)].map((r) => r.user).concat(this.remote(room).map((m) => m.user));
  }

  memberCount(room: string): number {
    return (this.#local.get(room)?.size ?? 0) + (this.#remote.get(room)?.size ?? 0);
  }

  /** Whether `alias` is a member of `room`, here or elsewhere. */
  isMember(room: string, alias: string): boolean {
    if (this.#remote.get(room)?.has(alias)) return true;
    for (const r of this.local(room)) if (r.user.alias === alias) return true;
    return false;
  }

  /** Joins (or creates) `room` for one of our users; a remote entry for the same alias is dropped: it moved here. */
  join(room: string, member: Registration): void {
    this.#dropRemote(room, member.user.alias);
    const members = this.#local.get(room) ?? new Set();
    members.add(member);
    this.#local.set(room, members);
  }

  /** Returns false when `member` was not in `room`. */
  leave(room: string, member: Registration): boolean {
    const members = this.#local.get(room);
    if (!members?.delete(member)) return false;
    if (members.size === 0) this.#local.delete(room);
    return true;
  }

  /** Takes `member` out of every room; returns the rooms it was in. */
  leaveAll(member: Registration): string[] {
    return [...this.#local.keys()].filter((room) => this.leave(room, member));
  }

  /**
   * Records that `host` hosts `user`, a member of `room`, until `expiresAt`: `new` to the room,
   * `moved` from another host, `refreshed`, or `full` when the table holds `remoteLimit` already.
   */
  addRemote(room: string, user: UserNode, host: Server, expiresAt: number): RemoteAdded {
    const members = this.#remote.get(room) ?? new Map<string, RemoteMember>();
    const known = members?.get(user.alias);
    if (known) {
      const moved = !sameEndpoint(known.host, host) || !sameEndpoint(known.user, user);
      members.set(user.alias, { user, host, expiresAt: Math.max(expiresAt, known.expiresAt) });
      return moved ? 'moved' : 'refreshed';
    }
    if (this.#remoteCount >= this.#remoteLimit) return 'full';
    members.set(user.alias, { user, host, expiresAt });
    this.#remote.set(room, members);
    this.#remoteCount++;
    return 'new';
  }

  /** Takes `alias` out of `room` if `host` is where it is a member (a server speaks only for its own). */
  removeRemote(room: string, alias: string, host: Server): boolean {
    const known = this.#remote.get(room)?.get(alias);
    if (!known || !sameEndpoint(known.host, host)) return false;
    this.#dropRemote(room, alias);
    return true;
  }

  /** Drops the remote members whose time is up; returns them with their rooms. */
  expire(now: number): { room: string; member: RemoteMember }[] {
    const gone: { room: string; member: RemoteMember }[] = [];
    for (const [room, members] of this.#remote) {
      for (const member of members.values()) if (member.expiresAt <= now) gone.push({ room, member });
    }
    for (const { room, member } of gone) this.#dropRemote(room, member.user.alias);
    return gone;
  }

  #dropRemote(room: string, alias: string): void {
    const members = this.#remote.get(room);
    if (!members?.delete(alias)) return;
    this.#remoteCount--;
    if (members.size === 0) this.#remote.delete(room);
  }
}
