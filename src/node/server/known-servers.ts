/**
 * Every server known by alias: neighbours and the servers named in KNOWNSERVERS gossip. DISCOVER
 * checks collisions against it. An entry is refreshed by traffic and forgotten after `ttl` of
 * silence. Each entry remembers the neighbour it was learned from (`via`: the server itself when
 * heard directly), the way back to it when another server turns out to hold its alias too
 * (collisions.ts).
 */
import type { Server } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import { sameEndpoint } from '../transport.ts';

interface Known {
  server: Server;
  /** When this alias was first seen at this address: a claim younger than the probe window is still contestable. */
  since: number;
  lastSeen: number;
  /** The neighbour whose KNOWNSERVERS listed it, or the server itself when heard directly. */
  via: Server;
}

export class KnownServers {
  readonly #byAlias: BoundedMap<string, Known>;
  readonly #ttl: number;

  /** At most `limit` servers; when full, the one learned longest ago is forgotten. */
  constructor(ttl: number, limit = Number.POSITIVE_INFINITY) {
    this.#ttl = ttl;
    this.#byAlias = new BoundedMap(limit);
  }

  /**
   * Records that `server.alias` is held at `server`'s address, heard from the server itself (the
   * default) or listed by the neighbour `via`. Heard directly stays the way back to it.
   */
  know(server: Server, now: number, via: Server = server): void {
    const known = this.#byAlias.get(server.alias);
    if (known && sameEndpoint(known.server, server)) {
      known.lastSeen = now;
      if (!sameEndpoint(known.via, known.server)) known.via = via;
      return;
    }
    this.#byAlias.set(server.alias, { server, since: now, lastSeen: now, via });
    // An address holds one alias: a server that renamed no longer holds its old one.
    for (const [alias, k] of this.#byAlias.entries()) {
      if (alias !== server.alias && sameEndpoint(k.server, server)) this.#byAlias.delete(alias);
    }
  }

  /** Refreshes `server`'s entry if it still holds its alias at that address. */
  heard(server: Server, now: number): void {
    const known = this.#byAlias.get(server.alias);
    if (known && sameEndpoint(known.server, server)) known.lastSeen = now;
  }

  /** Forgets `server`'s alias if it is held at that address. */
  forget(server: Server): void {
    const known = this.#byAlias.get(server.alias);
    if (known && sameEndpoint(known.server, server)) this.#byAlias.delete(server.alias);
  }

  /** Who holds `alias`, since when, and which neighbour told us. */
  holder(alias: string, now: number): { server: Server; since: number; via: Server } | undefined {
    const known = this.#byAlias.get(alias);
    if (!known) return undefined;
    if (now - known.lastSeen > this.#ttl) {
      this.#byAlias.delete(alias);
      return undefined;
    }
    return known;
  }

  /** Drops entries silent for longer than ttl. */
  expire(now: number): void {
    for (const [alias, k] of this.#byAlias.entries()) {
      if (now - k.lastSeen > this.#ttl) this.#byAlias.delete(alias);
    }
  }
}
