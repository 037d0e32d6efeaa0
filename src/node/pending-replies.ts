/**
 * Requests waiting for their replies, by key (anchor: memberlist's ack handlers). A reply that
 * arrives is offered to the waiters of its key, oldest first, until one takes it; a waiter that
 * is not answered in time is told so. Servers wait for probe, invitation and recovery answers
 * here; the user node waits for the answers to its requests.
 */
import type { Clock } from './clock.ts';

export interface Waiter<T> {
  /** Offered a reply for its key; true when it took it (it is then removed). */
  accept(reply: T): boolean;
}

export class PendingReplies<T> {
  readonly #clock: Clock;
  readonly #waiting = new Map<string, Waiter<T>[]>();
  /** The `wait`s in progress, so `cancelAll` can end them. */
  readonly #cancels = new Set<() => void>();

  /** `clock` times the waits. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Adds a waiter under `key`; the function returned removes it (idempotent). */
  add(key: string, waiter: Waiter<T>): () => void {
    const queue = this.#waiting.get(key) ?? [];
    queue.push(waiter);
    this.#waiting.set(key, queue);
    return () => this.#remove(key, waiter);
  }

  /**
   * Waits for the first reply under `key` that `accepts` (default: any), for at most `timeout`
   * ms: resolves with it, or with undefined when the time runs out or `cancelAll` is called.
   */
  wait(key: string, timeout: number, accepts: (reply: T) => boolean = () => true): Promise<T | undefined> {
    return new Promise((resolve) => {
      const finish = (reply: T | undefined) => {
        timer.cancel();
        remove();
        this.#cancels.delete(cancel);
        resolve(reply);
      };
      const cancel = () => finish(undefined);
      const remove = this.add(key, {
        accept: (reply) => {
          if (!accepts(reply)) return false;
          finish(reply);
          return true;
        },
      });
      const timer = this.#clock.setTimeout(cancel, timeout).unref(); // a wait alone does not keep a process alive
      this.#cancels.add(cancel);
    });
  }

  /** Offers `reply` to the waiters of `key`; true when one took it. */
  settle(key: string, reply: T): boolean {
    const queue = this.#waiting.get(key);
    if (!queue) return false;
    for (const waiter of [...queue]) {
      if (waiter.accept(reply)) {
        this.#remove(key, waiter);
        return true;
      }
    }
    return false;
  }

  /** Whether anyone waits under `key`. */
  has(key: string): boolean {
    return this.#waiting.has(key);
  }

  /** Every waiter, for failing them all at once (the node closes, or changes server). */
  waiters(): Waiter<T>[] {
    return [...this.#waiting.values()].flat();
  }

  get size(): number {
    return this.#waiting.size;
  }

  /** Ends every `wait` now, with undefined. */
  cancelAll(): void {
    const cancels = [...this.#cancels];
    this.#cancels.clear();
    for (const cancel of cancels) cancel();
  }

  #remove(key: string, waiter: Waiter<T>): void {
    const queue = this.#waiting.get(key);
    if (!queue) return;
    const i = queue.indexOf(waiter);
    if (i >= 0) queue.splice(i, 1);
    if (queue.length === 0) this.#waiting.delete(key);
  }
}
