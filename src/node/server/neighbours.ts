/**
 * Neighbours (servers this one exchanged DISCOVER with) and the wider set of servers known by
 * alias (neighbours plus those named in KNOWNSERVERS gossip), which DISCOVER checks collisions
 * against. Both are refreshed by traffic and forgotten after `ttl` of silence.
 */
import type { Server } from '../../ast.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';

interface Known {
  server: Server;
  /** When this alias was first seen at this address: a claim younger than the probe window is still contestable. */
  since: number;
  lastSeen: number;
}

export class Neighbours {
  readonly #neighbours = new Map<string, Known>();
  readonly #known = new Map<string, Known>();
  readonly #ttl: number;

  constructor(ttl: number) {
    this.#ttl = ttl;
  }

  /** Adds or refreshes a neighbour; true when it is new (or changed alias). */
  add(server: Server, now: number): boolean {
    const key = endpointKey(server);
    const existing = this.#neighbours.get(key);
    this.know(server, now);
    if (existing && existing.server.alias === server.alias) {
      existing.lastSeen = now;
      return false;
    }
    this.#neighbours.set(key, { server, since: now, lastSeen: now });
    return true;
  }

  /** Refreshes a neighbour's liveness: called for its gossip. */
  heard(server: Server, now: number): void {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (neighbour) neighbour.lastSeen = now;
    const known = this.#known.get(server.alias);
    if (known && sameEndpoint(known.server, server)) known.lastSeen = now;
  }

  isNeighbour(address: { ip: string; port: number }): boolean {
    return this.#neighbours.has(endpointKey(address));
  }

  remove(server: Server): boolean {
    const removed = this.#neighbours.delete(endpointKey(server));
    const known = this.#known.get(server.alias);
    if (known && sameEndpoint(known.server, server)) this.#known.delete(server.alias);
    return removed;
  }

  list(): Server[] {
    return [...this.#neighbours.values()].map((n) => n.server);
  }

  get size(): number {
    return this.#neighbours.size;
  }

  /** Records that `server.alias` is held at `server`'s address (from gossip or DISCOVER). */
  know(server: Server, now: number): void {
    const known = this.#known.get(server.alias);
    if (known && sameEndpoint(known.server, server)) {
      known.lastSeen = now;
      return;
    }
    this.#known.set(server.alias, { server, since: now, lastSeen: now });
  }

  /** Who holds `alias`, and since when. */
  holder(alias: string, now: number): { server: Server; since: number } | undefined {
    const known = this.#known.get(alias);
    if (!known) return undefined;
    if (now - known.lastSeen > this.#ttl) {
      this.#known.delete(alias);
      return undefined;
    }
    return known;
  }

  /** Drops neighbours silent for longer than ttl; returns them. */
  expire(now: number): Server[] {
    const lost: Server[] = [];
    for (const [key, n] of this.#neighbours) {
      if (now - n.lastSeen > this.#ttl) {
        this.#neighbours.delete(key);
        lost.push(n.server);
      }
    }
    for (const [alias, k] of this.#known) {
      if (now - k.lastSeen > this.#ttl) this.#known.delete(alias);
    }
    return lost;
  }
}
