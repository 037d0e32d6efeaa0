/**
 * The simulation's one source of randomness: a seeded generator (mulberry32), from which each
 * part (workload, faults, network, nodes) gets its own stream, so replaying a saved fault
 * schedule leaves the workload's choices as they were.
 */
import { seeded } from '../bench/lib/seeded.ts';

export class Random {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = seeded(seed);
  }

  /** In [0, 1). */
  next = (): number => this.#next();

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A new generator seeded from this one: a stream of its own. */
  fork(): Random {
    return new Random(Math.floor(this.#next() * 2 ** 32));
  }
}
