/**
 * Whether the current server is still there (Section II.iii): when it last sent anything, how
 * many sends in a row got nothing back, and a keep-alive that asks an idle server something small
 * so that a dead server is noticed even when the user is quiet.
 */
import type { Clock, Timer } from '../clock.ts';

export class ServerLiveness {
  readonly #clock: Clock;
  readonly #retries: number;
  readonly #keepAlive: number;
  #timer: Timer | undefined;
  /** When the current server last sent us anything. */
  #lastHeard = 0;
  /** When we last sent the current server anything. */
  #lastSent = 0;
  /** Datagrams from the current server so far: a send is answered if this grew after it. */
  #heard = 0;
  /** Sends in a row to the current server with nothing back since. */
  #unanswered = 0;

  /** `retries` (N) silent sends in a row mean failure; `keepAlive` ms idle sends a check (0: never). */
  constructor(clock: Clock, retries: number, keepAlive: number) {
    this.#clock = clock;
    this.#retries = retries;
    this.#keepAlive = keepAlive;
  }

  /** Starts the keep-alive: `check` runs when the server has been silent for `keepAlive` ms. */
  start(check: () => void): void {
    this.#timer?.cancel(); // registering again (after EXIT) keeps one timer
    this.#lastHeard = this.#clock.now();
    if (this.#keepAlive === 0) return;
    this.#timer = this.#clock
      .setInterval(() => {
        // Silence either way: from the server (is it dead?) or to it (it must not expire us).
        const now = this.#clock.now();
        if (now - this.#lastHeard >= this.#keepAlive || now - this.#lastSent >= this.#keepAlive) check();
      }, this.#keepAlive)
      .unref();
  }

  stop(): void {
    this.#timer?.cancel();
  }

  /** A datagram came from the current server. */
  heard(): void {
    this.#heard++;
    this.#lastHeard = this.#clock.now();
    this.#unanswered = 0;
  }

  /** We sent the current server something. */
  sent(): void {
    this.#lastSent = this.#clock.now();
  }

  /** The node moved to another server: its silence so far says nothing of the new one. */
  moved(): void {
    this.#lastHeard = this.#clock.now();
  }

  /** A change of server is over, whatever its outcome: count silent sends afresh. */
  resetCount(): void {
    this.#unanswered = 0;
  }

  /** A mark to pass to `unansweredSince` after a send. */
  get mark(): number {
    return this.#heard;
  }

  /** Whether anything came from the current server since `mark` was taken. */
  heardSince(mark: number): boolean {
    return this.#heard > mark;
  }

  /** Whether some send to the current server is still without any datagram back. */
  get silent(): boolean {
    return this.#unanswered > 0;
  }

  /**
   * A send made at `mark` timed out: counted if nothing at all came back since. True when that
   * makes N in a row: the server has failed.
   */
  unansweredSince(mark: number): boolean {
    if (this.#heard > mark) return false;
    this.#unanswered++;
    return this.#unanswered >= this.#retries;
  }
}
