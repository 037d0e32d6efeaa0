/**
 * Retries without repeats. A user node sends a request again when no reply came in time, so a
 * lost reply makes the server see the same request twice. The server remembers, for `window` ms,
 * each user request that changes something and the packets it answered with; an identical request
 * from the same address inside the window gets the same answer again and has no other effect. So
 * a SEND or CSEND retried after a lost reply is delivered once.
 *
 * The rule users see: an identical SEND or CSEND from the same user node within the window, with
 * no other change made by that node in between, is taken as a retry and delivered once. Queries
 * (FIND, LIST, ULIST, LISTROOMS) are never cached: they are answered afresh. Any other command
 * (PREFERRED, room and alias changes, EXIT) starts afresh: it forgets what the address sent
 * before, so the same CSEND after a JOINROOM, or an EXIT after coming back, is acted on; it is
 * itself remembered (PREFERRED excepted), so its own retry gets the first answer again.
 */
import type { Packet } from '../../ast.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

interface Answered {
  at: number;
  replies: Packet[];
}

export class ReplayCache {
  readonly #window: number;
  readonly #limit: number;
  /** Every request remembered, by address and request: oldest first (Map order is insertion order). */
  readonly #answered = new Map<string, Answered>();
  /** The keys in `#answered` of each address's requests, so forgetting an address is one lookup. */
  readonly #byAddress = new Map<string, Set<string>>();

  /** `limit` (`limits.replies`) bounds memory: the oldest entries go first. */
  constructor(window: number, limit: number) {
    this.#window = window;
    this.#limit = limit;
  }

  /** For a repeat of `request` from `from` inside the window: the replies it got the first time. */
  repeatOf(from: Endpoint, request: string, now: number): Packet[] | undefined {
    const seen = this.#answered.get(`${endpointKey(from)} ${request}`);
    return seen && now - seen.at <= this.#window ? seen.replies : undefined;
  }

  /**
   * Remembers `request` as seen now; the array returned is where the dispatch records its replies.
   * A request that `startsAfresh` first forgets what `from` sent before.
   */
  remember(from: Endpoint, request: string, now: number, startsAfresh: boolean): Packet[] {
    const address = endpointKey(from);
    const key = `${address} ${request}`;
    if (startsAfresh) this.forget(from);
    else this.#answered.delete(key);
    const entry: Answered = { at: now, replies: [] };
    this.#answered.set(key, entry);
    const keys = this.#byAddress.get(address) ?? new Set();
    keys.add(key);
    this.#byAddress.set(address, keys);
    this.#prune(now);
    return entry.replies;
  }

  /** Forgets every request from `from`. */
  forget(from: Endpoint): void {
    const address = endpointKey(from);
    for (const key of this.#byAddress.get(address) ?? []) this.#answered.delete(key);
    this.#byAddress.delete(address);
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#answered) {
      if (this.#answered.size <= this.#limit && now - entry.at <= this.#window) break;
      this.#answered.delete(key);
      const address = key.slice(0, key.indexOf(' '));
      const keys = this.#byAddress.get(address);
      keys?.delete(key);
      if (keys?.size === 0) this.#byAddress.delete(address);
    }
  }
}
