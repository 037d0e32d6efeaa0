/**
 * Relayed requests already seen: a FIND or a SEND passed between servers is answered and passed
 * on by each server at most once within `window`, so floods end in any topology, cycles included.
 */
import { plantedFaults } from '../planted-faults.ts';

interface Seen {
  until: number;
  /** Who brought it: the user asking, or the neighbour relaying. */
  source: string;
}

export class SeenSet {
  readonly #seen = new Map<string, Seen>();
  /** Live entries per source. */
  readonly #bySource = new Map<string, number>();
  readonly #window: number;
  readonly #limit: number;
  readonly #share: number;
  readonly #onFull: () => void;

  /**
   * At most `limit` requests remembered, and at most an eighth of them (or 64) from one source.
   * When full (after dropping expired ones), or the source's share is used, a new request counts
   * as seen: a user's own FIND is still answered from what this server knows, but nothing is
   * forwarded (and a relayed request is dropped), so a flood of distinct
   * FINDs can neither grow the set nor escape its bound on forwarding, and a few flooding
   * neighbours cannot crowd out the requests of the others.
   */
  constructor(window: number, limit = Number.POSITIVE_INFINITY, onFull: () => void = () => {}) {
    this.#window = window;
    this.#limit = limit;
    this.#share = Math.max(64, Math.floor(limit / 8));
    this.#onFull = onFull;
  }

  /** Whether `key` was marked within the window: a real repeat, not a set too full to mark it. */
  has(key: string, now: number): boolean {
    if (plantedFaults.has('skipSeenSet')) return false;
    const seen = this.#seen.get(key);
    return seen !== undefined && seen.until > now;
  }

  /** True the first time `key` is seen within the window; `source` is who brought it. */
  mark(key: string, now: number, source = ''): boolean {
    if (plantedFaults.has('skipSeenSet')) return true;
    const seen = this.#seen.get(key);
    if (seen !== undefined && seen.until > now) return false;
    if (seen !== undefined) this.#delete(key, seen);
    if (this.#seen.size >= this.#limit || (this.#bySource.get(source) ?? 0) >= this.#share) {
      this.#sweep(now);
      if (this.#seen.size >= this.#limit || (this.#bySource.get(source) ?? 0) >= this.#share) {
        this.#onFull();
        return false;
      }
    }
    this.#seen.set(key, { until: now + this.#window, source });
    this.#bySource.set(source, (this.#bySource.get(source) ?? 0) + 1);
    if (this.#seen.size > 1024 && this.#seen.size % 1024 === 0) this.#sweep(now);
    return true;
  }

  #delete(key: string, seen: Seen): void {
    this.#seen.delete(key);
    const left = (this.#bySource.get(seen.source) ?? 1) - 1;
    if (left > 0) this.#bySource.set(seen.source, left);
    else this.#bySource.delete(seen.source);
  }

  #sweep(now: number): void {
    for (const [key, seen] of this.#seen) if (seen.until <= now) this.#delete(key, seen);
  }

  get size(): number {
    return this.#seen.size;
  }
}
