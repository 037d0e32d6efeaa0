/**
 * Neighbours: the servers this one exchanged DISCOVER with, refreshed by their gossip and
 * forgotten after `ttl` of silence. Users fail over to them; FIND and SEND are relayed to them.
 */
import type { Server } from '../../ast.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

interface Neighbour {
  server: Server;
  lastSeen: number;
}

export class Neighbours {
  readonly #neighbours = new Map<string, Neighbour>();
  readonly #ttl: number;

  constructor(ttl: number) {
    this.#ttl = ttl;
  }

  /** Adds or refreshes a neighbour; true when it is new (or changed alias). */
  add(server: Server, now: number): boolean {
    const key = endpointKey(server);
    const existing = this.#neighbours.get(key);
    if (existing && existing.server.alias === server.alias) {
      existing.lastSeen = now;
      return false;
    }
    this.#neighbours.set(key, { server, lastSeen: now });
    return true;
  }

  /** Refreshes a neighbour's liveness: called for its gossip. */
  heard(server: Server, now: number): void {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (neighbour) neighbour.lastSeen = now;
  }

  isNeighbour(address: Endpoint): boolean {
    return this.#neighbours.has(endpointKey(address));
  }

  remove(server: Server): boolean {
    return this.#neighbours.delete(endpointKey(server));
  }

  list(): Server[] {
    return [...this.#neighbours.values()].map((n) => n.server);
  }

  get size(): number {
    return this.#neighbours.size;
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
    return lost;
  }
}
