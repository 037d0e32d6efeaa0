/**
 * Relayed requests already seen: a FIND or a SEND passed between servers is answered and passed
 * on by each server at most once within `window`, so floods end in any topology, cycles included.
 */
export class SeenSet {
  readonly #seen = new Map<string, number>();
  readonly #window: number;
  readonly #limit: number;
  readonly #onFull: () => void;

  /**
   * At most `limit` requests remembered. When full (after dropping expired ones) a new request
   * counts as seen: it is answered from what this server knows but not forwarded, so a flood of
   * distinct FINDs can neither grow the set nor escape its bound on forwarding.
   */
  constructor(window: number, limit = Number.POSITIVE_INFINITY, onFull: () => void = () => {}) {
    this.#window = window;
    this.#limit = limit;
    this.#onFull = onFull;
  }

  /** True the first time `key` is seen within the window. */
  mark(key: string, now: number): boolean {
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    if (until === undefined && this.#seen.size >= this.#limit) {
      this.#sweep(now);
      if (this.#seen.size >= this.#limit) {
        this.#onFull();
        return false;
      }
    }
    this.#seen.set(key, now + this.#window);
    if (this.#seen.size > 1024) this.#sweep(now);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#seen) if (until <= now) this.#seen.delete(key);
  }

  get size(): number {
    return this.#seen.size;
  }
}
