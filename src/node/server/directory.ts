/**
 * Who is where, learned from other servers' KNOWNUSERS gossip: alias -> (user node, server).
 * An entry lives for `ttl` after the last gossip that listed it, so a user who left, or whose
 * server went silent, drops out within three gossip intervals.
 */
import type { Server, UserNode } from '../../ast.ts';
import { sameEndpoint } from '../transport.ts';

export interface DirectoryEntry {
  user: UserNode;
  server: Server;
  expiresAt: number;
}

export class Directory {
  readonly #entries = new Map<string, DirectoryEntry>();
  readonly #contests = new Map<string, Promise<void>>();
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
    this.#entries.set(user.alias, { user, server, expiresAt: now + ttl });
    return true;
  }

  lookup(alias: string, now: number): DirectoryEntry | undefined {
    const entry = this.#entries.get(alias);
    if (entry && entry.expiresAt <= now) {
      this.#entries.delete(alias);
      return undefined;
    }
    return entry;
  }

  /**
   * Another server claims `alias` while its owner here is being asked whether it still lives
   * (handlers/gossip.ts); `settled` resolves once the claim is decided. Until then a FIND for the
   * alias waits rather than name a server that may have just died.
   */
  contest(alias: string, settled: Promise<unknown>): void {
    const clear = () => {
      if (this.#contests.get(alias) === done) this.#contests.delete(alias);
    };
    const done = settled.then(clear, clear);
    this.#contests.set(alias, done);
  }

  /** Resolves when the claim on `alias` is decided; undefined when nothing contests it. */
  contested(alias: string): Promise<void> | undefined {
    return this.#contests.get(alias);
  }

  /** Drops expired entries. */
  sweep(now: number): void {
    for (const [alias, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(alias);
    }
  }

  /** Forgets everything a server told, e.g. when it is known to be gone. */
  forgetServer(server: Server): void {
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
