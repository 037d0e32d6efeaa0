/**
 * Each member's room events (joins, leaves, lines) in the order its server numbered them. Events
 * travel between servers by every path a flood takes, so a later one can arrive first; one that
 * arrives early is held until the gap fills, or for at most `hold` ms (then the gap is given up:
 * those events were lost on every path). A copy of one taken already is recognised and dropped,
 * so each event is acted on once. A stream is one member at one server in one run of it (the
 * server's epoch): after a failover or a restart the numbers start afresh.
 */
import type { Clock, Timer } from '../clock.ts';
import { plantedFaults } from '../planted-faults.ts';

/** Events held at most per stream, waiting for a gap to fill. */
export const HELD_PER_STREAM = 32;

interface Stream {
  epoch: string;
  next: number;
  held: Map<number, () => void>;
  timer: Timer | undefined;
}

/** What became of an event handed to `take`. */
export type Taken = 'new' | 'copy';

export class RoomOrder {
  readonly #streams = new Map<string, Stream>();
  readonly #clock: Clock;
  readonly #hold: number;
  readonly #limit: number;

  /** At most `limit` streams at once, the least recently used dropped first. */
  constructor(clock: Clock, hold: number, limit: number) {
    this.#clock = clock;
    this.#hold = hold;
    this.#limit = limit;
  }

  /**
   * Event number `n` of stream `key` in `epoch`: `act` runs now if it is the next one, later if
   * it is early (after those before it), never if it is a copy of one taken already.
   */
  take(key: string, epoch: string, n: number, act: () => void): Taken {
    let stream = this.#streams.get(key);
    if (stream && stream.epoch !== epoch) {
      stream.timer?.cancel();
      stream = undefined;
    }
    if (!stream) stream = { epoch, next: n, held: new Map(), timer: undefined };
    // Most recently used last: the first key is the one to drop.
    this.#streams.delete(key);
    this.#streams.set(key, stream);
    if (this.#streams.size > this.#limit) this.#drop(this.#streams.keys().next().value as string);
    if (n < stream.next || stream.held.has(n)) return 'copy';
    if (n === stream.next) {
      act();
      stream.next++;
      this.#drain(stream);
      return 'new';
    }
    if (plantedFaults.has('skipRoomOrder')) {
      act();
      stream.held.set(n, () => {});
    } else stream.held.set(n, act);
    if (stream.held.size > HELD_PER_STREAM) this.#skipGap(stream);
    else stream.timer ??= this.#clock.setTimeout(() => this.#skipGap(stream), this.#hold).unref();
    return 'new';
  }

  get size(): number {
    return this.#streams.size;
  }

  /** The gap did not fill in time (or too much is held): go on from the first event held. */
  #skipGap(stream: Stream): void {
    stream.timer?.cancel();
    stream.timer = undefined;
    if (stream.held.size === 0) return;
    stream.next = Math.min(...stream.held.keys());
    this.#drain(stream);
  }

  #drain(stream: Stream): void {
    for (let act = stream.held.get(stream.next); act; act = stream.held.get(stream.next)) {
      stream.held.delete(stream.next);
      stream.next++;
      act();
    }
    if (stream.held.size === 0) {
      stream.timer?.cancel();
      stream.timer = undefined;
    } else if (!stream.timer) {
      stream.timer = this.#clock.setTimeout(() => this.#skipGap(stream), this.#hold).unref();
    }
  }

  #drop(key: string): void {
    const stream = this.#streams.get(key);
    stream?.timer?.cancel();
    for (const act of stream?.held.values() ?? []) act();
    this.#streams.delete(key);
  }
}
