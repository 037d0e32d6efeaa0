/**
 * Neighbours: the servers this one exchanged DISCOVER with, refreshed by their gossip and
 * forgotten after a silence longer than they have shown. Users fail over to them; FIND and SEND
 * are relayed to them.
 *
 * The wire does not say how often a server gossips, so each neighbour's silence is judged by the
 * gaps it has shown: it may stay silent for three times the longest gap seen between two of its
 * gossips, never less than `ttl` (three of our own intervals) and never more than `maxSilence`.
 * A fixed multiple of one observed gap, not a statistical estimate over the gaps (as a phi accrual
 * detector makes). Until its first gossip, a neighbour just made by a round trip has `maxSilence`;
 * after its first and before its second, when no gap is known yet, `ttl`.
 * Silence is only suspicion: a neighbour silent for longer than it may be is asked whether it
 * lives (a liveness DISCOVER, liveness.ts) and dropped only if it does not answer, so one that
 * gossips less often than it has yet shown (its second gossip not yet heard) is not lost.
 * Servers gossiping at different intervals therefore never drop each other while alive.
 */
import type { Server } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

interface Neighbour {
  server: Server;
  /** When it last showed it lives: a round trip, its gossip, an answer to a liveness probe. */
  lastSeen: number;
  /** When its last gossip came, for the gaps between gossips. */
  lastGossip: number;
  /** The longest gap between two of its gossips seen so far; undefined before its first. */
  longestGap: number | undefined;
  /** Whether it has gossiped since it became a neighbour. */
  gossiped: boolean;
  /** A liveness probe is out to it, for its silence. */
  suspected: boolean;
  /** Its own neighbours, by address, as its latest KNOWNSERVERS listed them. */
  theirs: Set<string>;
}

/** Neighbours dropped for their silence, remembered so that one coming back is greeted at once. */
const LAPSED = 256;

export class Neighbours {
  readonly #neighbours = new Map<string, Neighbour>();
  /** Aliases of neighbours dropped for their silence, by address; the oldest is forgotten first. */
  readonly #lapsed = new BoundedMap<string, string>(LAPSED);
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
    this.#lapsed.delete(key);
    this.#neighbours.set(key, {
      server,
      lastSeen: now,
      lastGossip: now,
      longestGap: undefined,
      gossiped: false,
      suspected: false,
      theirs: new Set(),
    });
    return true;
  }

  /**
   * A neighbour's KNOWNSERVERS: its own neighbours, to whom it sends what it floods itself (room
   * events, room-relay.ts). Each datagram replaces the one before: of a list split over several,
   * only the last part is kept, which can only make us send more.
   */
  toldNeighbours(server: Endpoint, servers: readonly Endpoint[]): void {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (neighbour) neighbour.theirs = new Set(servers.map(endpointKey));
  }

  /** Whether our neighbour `neighbour` last listed `server` among its own neighbours. */
  neighbourOf(neighbour: Endpoint, server: Endpoint): boolean {
    return this.#neighbours.get(endpointKey(neighbour))?.theirs.has(endpointKey(server)) ?? false;
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
      neighbour.longestGap = Math.max(neighbour.longestGap ?? 0, now - neighbour.lastGossip);
    neighbour.gossiped = true;
    neighbour.lastGossip = now;
    neighbour.lastSeen = now;
    neighbour.suspected = false;
    return first;
  }

  /** A neighbour suspected for its silence answered a liveness probe. */
  answered(server: Server, now: number): void {
    const neighbour = this.#neighbours.get(endpointKey(server));
    if (!neighbour) return;
    neighbour.lastSeen = now;
    neighbour.suspected = false;
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

  /** Drops a neighbour for its silence; it is remembered as lapsed (`lapsed`). */
  lapse(server: Server): boolean {
    if (!this.remove(server)) return false;
    this.#lapsed.set(endpointKey(server), server.alias);
    return true;
  }

  /**
   * Whether `server` (address and alias) was a neighbour until dropped for its silence: it proved
   * its address by a round trip before, so its return is greeted whatever its credit (discovery.ts).
   */
  lapsed(server: Server): boolean {
    return this.#lapsed.get(endpointKey(server)) === server.alias;
  }

  list(): Server[] {
    return [...this.#neighbours.values()].map((n) => n.server);
  }

  get size(): number {
    return this.#neighbours.size;
  }

  /** Whether `server` is still silent for longer than it may be (it did not speak meanwhile). */
  stillSilent(server: Server, now: number): boolean {
    const neighbour = this.#neighbours.get(endpointKey(server));
    return neighbour !== undefined && now - neighbour.lastSeen > this.allowedSilence(server);
  }

  /**
   * Neighbours silent for longer than they may be and not yet asked whether they live: they are
   * suspected from now on, until `answered` or `remove`.
   */
  suspects(now: number): Server[] {
    const suspects: Server[] = [];
    for (const n of this.#neighbours.values()) {
      if (n.suspected || now - n.lastSeen <= this.allowedSilence(n.server)) continue;
      n.suspected = true;
      suspects.push(n.server);
    }
    return suspects;
  }
}
