/**
 * What a server lets anyone on the network make it hold or do. The protocol has no
 * authentication, so every table a datagram can grow has a bound, and every source address a
 * budget of datagrams per second. At a bound the request gets -ERR with the reason; over budget a
 * datagram is dropped and counted.
 */
import { BoundedMap } from '../bounded-map.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

/** Bounds on server state. */
export interface ServerLimits {
  /** User nodes registered here. Default 10,000. */
  users: number;
  /** Extra aliases (ALIAS) per user node. Default 8. */
  aliasesPerUser: number;
  /** Rooms on this server. Default 1,000. */
  rooms: number;
  /** Members per room. Default 1,000. */
  membersPerRoom: number;
  /** Neighbour servers; a claimant beyond it gets +OK but is not taken as a neighbour. Default 64. */
  neighbours: number;
  /** Directory entries learned from gossip. Default 100,000. */
  directory: number;
  /** Relayed requests (FINDs, SENDs passed between servers) remembered so each is relayed once. Default 10,000. */
  relays: number;
  /** Bytes (UTF-8) of a SEND or CSEND message. Default 1,000. */
  messageBytes: number;
  /** Multicast channels joined, the first included; JOINCHANNEL beyond it gets -ERR. Default 16. */
  channels: number;
  /**
   * Characters of an alias or room name. A longer one is refused where it would be created
   * (PREFERRED, ALIAS, SETALIAS, CREATEROOM, DISCOVER) and dropped from gossip. Default 32.
   */
  nameLength: number;
  /**
   * Bytes of a datagram received; a larger one is dropped before it is parsed. Default 1,400
   * (MAX_DATAGRAM): no reference node sends more, and a larger request could not be answered
   * within it, its reply echoing it.
   */
  datagramBytes: number;
}

/** The bounds a server keeps when `limits` does not say otherwise. */
export const DEFAULT_LIMITS: ServerLimits = {
  users: 10_000,
  aliasesPerUser: 8,
  rooms: 1_000,
  membersPerRoom: 1_000,
  neighbours: 64,
  directory: 100_000,
  relays: 10_000,
  messageBytes: 1_000,
  channels: 16,
  nameLength: 32,
  datagramBytes: 1400,
};

/** A token bucket: `rate` datagrams per second on average, up to `burst` at once. */
export interface RateBudget {
  /** Datagrams per second, refilled continuously. */
  rate: number;
  /** Datagrams accepted at once from a full bucket. */
  burst: number;
}

/** Per-source rate budgets; `rateLimits: false` turns them off. */
export interface RateLimits {
  /** Any source that is not a neighbour server: user nodes, strangers. Default 20/s, burst 40. */
  user: RateBudget;
  /** Known neighbour servers, whose relayed FINDs and SENDs carry many users. Default 500/s, burst 1,000. */
  server: RateBudget;
  /** Source addresses tracked at once; the longest idle is forgotten first. Default 10,000. */
  sources: number;
}

/** The rate budgets a server applies when `rateLimits` does not say otherwise. */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  user: { rate: 20, burst: 40 },
  server: { rate: 500, burst: 1_000 },
  sources: 10_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/** One token bucket per source address, in a bounded table. */
export class RateLimiter {
  readonly #limits: RateLimits;
  /** Least recently seen source first: a full table forgets it, and a fresh source starts with a
   * full bucket, so forgetting costs an attacker nothing it could not get from a new address. */
  readonly #buckets: BoundedMap<string, Bucket>;

  constructor(limits: RateLimits) {
    this.#limits = limits;
    this.#buckets = new BoundedMap(limits.sources);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token from `from`'s bucket; false when it is empty (drop the datagram). */
  allow(from: Endpoint, isServer: boolean, now: number): boolean {
    const budget = isServer ? this.#limits.server : this.#limits.user;
    const key = endpointKey(from);
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(budget.burst, bucket.tokens + ((now - bucket.at) / 1000) * budget.rate);
      bucket.at = now;
    } else {
      bucket = { tokens: budget.burst, at: now };
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
