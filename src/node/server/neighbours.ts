/**
 * Neighbours: the servers this one exchanged DISCOVER with, refreshed by their gossip and
 * forgotten after a silence longer than they have shown. Users fail over to them; FIND and SEND
 * are relayed to them.
 *
 * The wire does not say how often a server gossips, so each neighbour's silence is judged by what
 * it has shown (as phi accrual failure detectors do, in Cassandra and Akka): it is gone after
 * three times its longest gap between gossips, and never before `ttl` (three of our own
 * intervals). Until its first gossip, a neighbour just made by a round trip has `maxSilence`.
 * Servers gossiping at different intervals therefore never drop each other while alive.
 */
import type { Server } from '../../ast.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

interface Neighbour {
  server: Server;
  lastSeen: number;
  /** The longest gap between two of its gossips seen so far; undefined before its first. */
  longestGap: number | undefined;
  /** Whether it has gossiped since it became a neighbour. */
  gossiped: boolean;
}

export class Neighbours {
  readonly #neighbours = new Map<string, Neighbour>();
  readonly #ttl: number;
  readonly #maxSilence: number;

  /** `ttl`: the least silence that drops a neighbour; `maxSilence`: the most (default 10 x ttl). */
  constructor(ttl: number, maxSilence = 10 * ttl) {
    this.#ttl = ttl;
    this.#maxSilence = maxSilence;
  }

  /** Adds or refreshes a neighbour; true when it is new (or changed alias). */
  add(server: Server, now: number): boolean {
    const key = endpointKey(server);
    const existing = this.#neighbours.get(key);
    if (existing && existing.server.alias === server.alias) {
      existing.lastSeen = now;
      return false;
    }
    this.#neighbours.set(key, { server, lastSeen: now, longestGap: undefined, gossiped: false });
    return true;
  }

  /**
   * Refreshes a neighbour's liveness: called for its gossip, whose gaps it learns. True when this
   * is the first gossip heard from it since it became a neighbour.
   */
  heard(server: Server, now: number): boolean {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (!neighbour) return false;
    const first = !neighbour.gossiped;
    if (neighbour.gossiped)
      neighbour.longestGap = Math.max(neighbour.longestGap ?? 0, now - neighbour.lastSeen);
    neighbour.gossiped = true;
    neighbour.lastSeen = now;
    return first;
  }

  /** How long `server` may stay silent before it is taken as gone. */
  allowedSilence(server: Endpoint): number {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (!neighbour || neighbour.longestGap === undefined)
      return neighbour?.gossiped ? this.#ttl : this.#maxSilence;
    return Math.min(this.#maxSilence, Math.max(this.#ttl, 3 * neighbour.longestGap));
  }

  /** The neighbour at `address`, as it named itself. */
  at(address: Endpoint): Server | undefined {
    return this.#neighbours.get(endpointKey(address))?.server;
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

  /** Drops neighbours silent for longer than they may be; returns them. */
  expire(now: number): Server[] {
    const lost: Server[] = [];
    for (const [key, n] of this.#neighbours) {
      if (now - n.lastSeen > this.allowedSilence(n.server)) {
        this.#neighbours.delete(key);
        lost.push(n.server);
      }
    }
    return lost;
  }
}
