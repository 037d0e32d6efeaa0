/** Waiting for a condition, on any clock: no test framework, so benchmarks use it too. */
import { type Clock, systemClock } from '../../src/node/index.ts';

/**
 * Waits until `check` returns a value other than undefined/false, looking again every 20 ms of
 * `clock`'s time (a MemoryNetwork's virtual clock, or the system clock for real sockets); fails
 * after `timeout` ms of it, which is only a bound.
 */
export async function until<T>(
  check: () => T | undefined | false,
  what: string,
  timeout = 5000,
  clock: Clock = systemClock,
): Promise<T> {
  const deadline = clock.now() + timeout;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (clock.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(20);
  }
}
