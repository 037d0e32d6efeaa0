/**
 * Who is where, learned from other servers' KNOWNUSERS gossip: alias -> (user node, server).
 * An entry lives for `ttl` after the last gossip that listed it, so a user whose server went
 * silent drops out within three gossip intervals. A user who left drops out sooner: as soon as
 * its server has gossiped a round of KNOWNUSERS that no longer lists it. A round is the KNOWNUSERS
 * datagrams a server sends together (a long list is split), each within ROUND ms of the one
 * before; one that lists a user this round listed already, or lists nobody, begins a new round
 * (a round lists each user once), unless it is a copy of one of the round's parts (a server on
 * several channels sends each part on each). An empty one always begins a round: it says the
 * server hosts nobody now. An entry its server did not list in its latest round, once that
 * round is ROUND ms over, is gone. A round lost in part costs only the entries it carried until the next round: FIND and
 * SEND then flood for them.
 *
 * Additions (incremental gossip, gossip.ts): a KNOWNUSERS that would begin a round but names only
 * users not known here at that server adds them and begins no round, so a server that gossips
 * only its newcomers between full lists does not make the others drop its other users. (A full
 * round of a server whose every user changed since its last one reads the same way: its departed
 * users then drop out at its next round.) An entry lives for `ttl` after the later of its last
 * listing and its server's last gossip of any kind (`heard`): a server that sends its full list
 * only every few intervals keeps its entries alive with its other gossip.
 */
import type { Server, UserNode } from '../../ast.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';

/** Longest gap, in ms, between the KNOWNUSERS datagrams of one round of a server's gossip. */
export const ROUND = 100;

/** A server's latest round of KNOWNUSERS: when it began, when its last datagram came, and its parts. */
interface Round {
  start: number;
  last: number;
  /** Each part's list, as text: the same part again (sent on every channel) is a copy. */
  parts: Set<string>;
}

export interface DirectoryEntry {
  user: UserNode;
  server: Server;
  /** How long it lives after its server last listed it or gossiped. */
  ttl: number;
  /** When its server last listed it. */
  listedAt: number;
}

export class Directory {
  readonly #entries = new Map<string, DirectoryEntry>();
  /** Each server's latest round, by address: only neighbours', forgotten with them. */
  readonly #rounds = new Map<string, Round>();
  /** When each server last gossiped, by address: it keeps that server's entries alive. */
  readonly #heard = new Map<string, number>();
  readonly #ttl: number;
  readonly #limit: number;

  /** At most `limit` entries: when full, expired ones are swept and new aliases are refused. */
  constructor(ttl: number, limit = Number.POSITIVE_INFINITY) {
    this.#ttl = ttl;
    this.#limit = limit;
  }

  /**
   * Records that `server` hosts `user` now, for `ttl` (default: the directory's); false when the
   * directory is full.
   */
  learn(user: UserNode, server: Server, now: number, ttl = this.#ttl): boolean {
    if (!this.#entries.has(user.alias) && this.#entries.size >= this.#limit) {
      this.sweep(now);
      if (this.#entries.size >= this.#limit) return false;
    }
    this.#entries.set(user.alias, { user, server, ttl, listedAt: now });
    return true;
  }

  /** `server` gossiped (KNOWNUSERS or KNOWNSERVERS): its entries live on. */
  heard(server: Server, now: number): void {
    this.#heard.set(endpointKey(server), now);
  }

  /** `server` sent a KNOWNUSERS listing `users`: part of its latest round, or a new one. */
  listing(server: Server, users: readonly UserNode[], now: number): void {
    const key = endpointKey(server);
    const round = this.#rounds.get(key);
    const part = users.map((u) => `${u.alias} ${endpointKey(u)}`).join(' ');
    const again = (user: UserNode, start: number) => {
      const entry = this.#entries.get(user.alias);
      return entry !== undefined && sameEndpoint(entry.server, server) && entry.listedAt >= start;
    };
    const continues =
      round !== undefined &&
      now - round.last <= ROUND &&
      users.length > 0 &&
      (round.parts.has(part) || !users.some((u) => again(u, round.start)));
    if (round && continues) {
      round.last = now;
      round.parts.add(part);
      return;
    }
    const additions = users.length > 0 && !users.some((u) => this.#listedBy(u, server));
    if (!additions) this.#rounds.set(key, { start: now, last: now, parts: new Set([part]) });
  }

  /** Whether `user` is known here at `server` (by alias and address). */
  #listedBy(user: UserNode, server: Server): boolean {
    const entry = this.#entries.get(user.alias);
    return entry !== undefined && sameEndpoint(entry.server, server) && sameEndpoint(entry.user, user);
  }

  lookup(alias: string, now: number): DirectoryEntry | undefined {
    const entry = this.#entries.get(alias);
    if (entry && this.#gone(entry, now)) {
      this.#entries.delete(alias);
      return undefined;
    }
    return entry;
  }

  /** Expired, or left out of a whole round of its server's gossip. */
  #gone(entry: DirectoryEntry, now: number): boolean {
    const key = endpointKey(entry.server);
    if (Math.max(entry.listedAt, this.#heard.get(key) ?? 0) + entry.ttl <= now) return true;
    const round = this.#rounds.get(key);
    return round !== undefined && entry.listedAt < round.start && now - round.last > ROUND;
  }

  /** Drops entries that expired or that their server no longer lists. */
  sweep(now: number): void {
    for (const [alias, entry] of this.#entries) {
      if (this.#gone(entry, now)) this.#entries.delete(alias);
    }
  }

  /** Forgets everything a server told, e.g. when it is known to be gone. */
  forgetServer(server: Server): void {
    this.#rounds.delete(endpointKey(server));
    this.#heard.delete(endpointKey(server));
    for (const [alias, entry] of this.#entries) {
      if (sameEndpoint(entry.server, server)) this.#entries.delete(alias);
    }
  }

  entries(now: number): DirectoryEntry[] {
    this.sweep(now);
    return [...this.#entries.values()];
  }

  get size(): number {
    return this.#entries.size;
  }
}
