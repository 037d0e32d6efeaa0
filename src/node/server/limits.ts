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
  /** Rooms this server knows of, across the network. Default 1,000. */
  rooms: number;
  /** Members per room, on every server. Default 1,000. */
  membersPerRoom: number;
  /**
   * Memberships of other servers' users held at once (rooms.ts), and the member event streams
   * kept in order (room-order.ts). Default 10,000.
   */
  roomMembers: number;
  /** Neighbour servers; a claimant beyond it gets +OK but is not taken as a neighbour. Default 64. */
  neighbours: number;
  /** Servers known by alias (neighbours and those their KNOWNSERVERS name); the oldest is forgotten first. Default 1,024. */
  knownServers: number;
  /** Directory entries learned from gossip. Default 50,000 (with the other defaults, every table full stays under 64 MiB). */
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
   * Bytes of a datagram received; a larger one is dropped before it is parsed. Default 65,507
   * (MAX_UDP_PAYLOAD, the most UDP carries): other implementations need not split their lists,
   * and what a datagram can make the server hold or send is bounded by the other limits, the
   * credit and the byte budgets, not by its size. The server itself sends at most 1,400 bytes.
   */
  datagramBytes: number;
  /**
   * User requests remembered with their answers, so an identical retry is answered again and not
   * acted on again (replay.ts); the oldest is forgotten first. Default 10,000.
   */
  replies: number;
  /** Unknown sources whose credit is remembered (credit.ts); the longest idle is forgotten first. Default 10,000. */
  credits: number;
  /** Servers heard gossiping that were greeted as strangers, remembered so each is greeted once per gossip expiry. Default 1,024. */
  greeted: number;
  /** Alias claims (address and alias), remembered with when each was first heard, for the simultaneous-claim window. Default 1,024. */
  claims: number;
  /** Servers said to hold our alias, remembered with when each was last asked whether it does. Default 1,024. */
  challenges: number;
  /** Collisions of two other servers' aliases, remembered with when each was last passed on to them (collisions.ts). Default 1,024. */
  collisions: number;
  /** Times a recovering server asks each old neighbour who prefers it (recovery.ts). Default 6. */
  recoveryTries: number;
}

/** The bounds a server keeps when `limits` does not say otherwise. */
export const DEFAULT_LIMITS: ServerLimits = {
  users: 10_000,
  aliasesPerUser: 8,
  rooms: 1_000,
  membersPerRoom: 1_000,
  roomMembers: 10_000,
  neighbours: 64,
  knownServers: 1_024,
  directory: 50_000,
  relays: 10_000,
  messageBytes: 1_000,
  channels: 16,
  nameLength: 32,
  datagramBytes: 65_507,
  replies: 10_000,
  credits: 10_000,
  greeted: 1_024,
  claims: 1_024,
  challenges: 1_024,
  collisions: 1_024,
  recoveryTries: 6,
};

/** A token bucket: `rate` per second on average, up to `burst` at once. */
export interface RateBudget {
  /** Refilled per second, continuously. */
  rate: number;
  /** Taken at once from a full bucket. */
  burst: number;
}

/** Per-address rate budgets; `rateLimits: false` turns them off. */
export interface RateLimits {
  /** Datagrams from any source that is not a neighbour server: user nodes, strangers. Default 20/s, burst 40. */
  user: RateBudget;
  /** Datagrams from neighbour servers, whose relayed FINDs and SENDs carry many users. Default 500/s, burst 1,000. */
  server: RateBudget;
  /**
   * Bytes this server sends to any one unicast address, whoever asked for them: no pattern of
   * requests turns the server into a flood toward one address. Default 64 KiB/s, burst 128 KiB.
   */
  sent: RateBudget;
  /** Addresses tracked at once (each kind of budget); the longest idle is forgotten first. Default 10,000. */
  sources: number;
}

/** The rate budgets a server applies when `rateLimits` does not say otherwise. */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  user: { rate: 20, burst: 40 },
  server: { rate: 500, burst: 1_000 },
  sent: { rate: 65_536, burst: 131_072 },
  sources: 10_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/** One token bucket per address, in a bounded table. */
export class TokenBuckets {
  /** Least recently used first: a full table forgets it, and a fresh address starts with a
   * full bucket, so forgetting costs an attacker nothing it could not get from a new address. */
  readonly #buckets: BoundedMap<string, Bucket>;

  constructor(addresses: number) {
    this.#buckets = new BoundedMap(addresses);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes `amount` from `address`'s bucket; false (nothing taken) when it holds less. */
  take(address: Endpoint, budget: RateBudget, amount: number, now: number): boolean {
    const key = endpointKey(address);
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(budget.burst, bucket.tokens + ((now - bucket.at) / 1000) * budget.rate);
      bucket.at = now;
    } else {
      bucket = { tokens: budget.burst, at: now };
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < amount) return false;
    bucket.tokens -= amount;
    return true;
  }
}

/** The datagram budget of each source, checked before a datagram is parsed. */
export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #buckets: TokenBuckets;

  constructor(limits: RateLimits) {
    this.#limits = limits;
    this.#buckets = new TokenBuckets(limits.sources);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one datagram from `from`'s budget; false when it is spent (drop the datagram). */
  allow(from: Endpoint, isServer: boolean, now: number): boolean {
    return this.#buckets.take(from, isServer ? this.#limits.server : this.#limits.user, 1, now);
  }
}
