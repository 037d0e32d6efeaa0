/**
 * The one clock of the network layer, beside the Transport seam: every server and user node reads
 * the time and sets its timers through a Clock, and nothing else under `src/node/` does. The
 * default is the system clock; the in-memory network runs on a {@link VirtualClock}, so a scenario
 * of minutes runs in milliseconds and the same way every time (anchors: FoundationDB's simulated
 * time, Tokio's paused clock, sinon's fake timers).
 */

/** A pending timer. */
export interface Timer {
  /** Stops it; a timer that already ran (or was cancelled) ignores this. */
  cancel(): void;
  /** On the system clock, a timer that does not keep the process alive (Node's `unref`). */
  unref(): Timer;
}

/** The time, and timers that can be cancelled. */
export interface Clock {
  /** Milliseconds since the epoch: real on the system clock, simulated on a virtual one. */
  now(): number;
  /** Runs `run` once, `ms` from now. */
  setTimeout(run: () => void, ms: number): Timer;
  /**
   * Runs `run` as soon as what is running now is done, before any timer (Node's `setImmediate`):
   * changes made in one turn are acted on together, in that turn's time.
   */
  setImmediate(run: () => void): Timer;
  /** Runs `run` every `ms` until cancelled. */
  setInterval(run: () => void, ms: number): Timer;
  /** Resolves `ms` from now. */
  sleep(ms: number): Promise<void>;
}

/** The wall clock: Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => nodeTimer(setTimeout(run, ms), clearTimeout),
  setImmediate(run) {
    const immediate = setImmediate(run);
    const timer: Timer = {
      cancel: () => clearImmediate(immediate),
      unref: () => {
        immediate.unref();
        return timer;
      },
    };
    return timer;
  },
  setInterval: (run, ms) => nodeTimer(setInterval(run, ms), clearInterval),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function nodeTimer(handle: NodeJS.Timeout, clear: (handle: NodeJS.Timeout) => void): Timer {
  const timer: Timer = {
    cancel: () => clear(handle),
    unref: () => {
      handle.unref();
      return timer;
    },
  };
  return timer;
}

interface Scheduled {
  due: number;
  /** Order of setting: timers due at one time run in the order they were set. */
  seq: number;
  /** The first turn of the loop it may run in (as in Node, a timer set now runs in a later turn). */
  turn: number;
  run: () => void;
  /** Re-armed this far apart after each run; 0 for a one-shot timer. */
  every: number;
  cancelled: boolean;
}

/** Options of a {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The time it starts at, in ms since the epoch. Default 2026-01-01T00:00:00Z. */
  start?: number;
}

/**
 * Simulated time, run as Node's event loop runs: each turn of the loop runs the timers due (in
 * order of due time, then of setting), then the immediates set so far; a timer or immediate set
 * during a turn runs in a later one, so changes made together are acted on together. Between any
 * two callbacks the real event loop turns once, so the promises and I/O one started settle before
 * the next runs. When nothing is due, the clock jumps to the next timer: every node is idle, and
 * waiting in real time would change nothing. The same timers set in the same order run the same
 * way every time.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  /** The turn of the simulated loop, and which half of it is running. */
  #turn = 0;
  #stage: 'timers' | 'immediates' = 'timers';
  /** A binary min-heap on (due, seq). */
  readonly #heap: Scheduled[] = [];
  /** Immediates, in the order set. */
  readonly #immediates: Scheduled[] = [];
  #wakePending = false;
  #frozen = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#now;
  }

  setTimeout(run: () => void, ms: number): Timer {
    return this.#schedule(run, ms, 0);
  }

  setInterval(run: () => void, ms: number): Timer {
    return this.#schedule(run, ms, Math.max(1, ms));
  }

  setImmediate(run: () => void): Timer {
    // Set while this turn's timers run: it runs in this turn; set later, in the next.
    const turn = this.#stage === 'timers' ? this.#turn : this.#turn + 1;
    const entry: Scheduled = { due: this.#now, seq: this.#seq++, turn, run, every: 0, cancelled: false };
    this.#immediates.push(entry);
    this.#wake();
    return handle(entry);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#schedule(resolve, ms, 0));
  }

  /** Timers and immediates set and not yet run or cancelled. */
  get pending(): number {
    return [...this.#immediates, ...this.#heap].filter((t) => !t.cancelled).length;
  }

  /**
   * Moves the time forward by `ms` at once, as a clock that is set forward does: timers keep
   * their due times and the overdue run next, in order.
   */
  jump(ms: number): void {
    this.#now += Math.max(0, ms);
    this.#wake();
  }

  /**
   * Runs `body` with the clock held: time does not move until it settles (for real I/O, such as
   * a file written, that the simulated nodes wait on). Timers already due still run.
   */
  async hold<T>(body: Promise<T>): Promise<T> {
    this.#frozen++;
    try {
      return await body;
    } finally {
      this.#frozen--;
      this.#wake();
    }
  }

  #schedule(run: () => void, ms: number, every: number): Timer {
    const entry: Scheduled = {
      due: this.#now + Math.max(0, Number.isFinite(ms) ? ms : 0),
      seq: this.#seq++,
      turn: this.#turn + 1,
      run,
      every,
      cancelled: false,
    };
    this.#push(entry);
    this.#wake();
    return handle(entry);
  }

  /** Asks for one turn of the real event loop, after which the next callback runs. */
  #wake(): void {
    if (this.#wakePending) return;
    this.#wakePending = true;
    setImmediate(() => {
      this.#wakePending = false;
      this.#step();
    });
  }

  /** Runs one callback, or moves to the next stage, turn or time; asks to be called again while there is work. */
  #step(): void {
    if (this.#stage === 'timers') {
      while (this.#heap[0]?.cancelled) this.#pop();
      const next = this.#heap[0];
      if (next && next.due <= this.#now && next.turn <= this.#turn) {
        this.#pop();
        if (next.every > 0) {
          next.due = this.#now + next.every;
          next.seq = this.#seq++;
          next.turn = this.#turn + 1;
          this.#push(next);
        }
        this.#wake();
        next.run();
        return;
      }
      this.#stage = 'immediates';
    }
    while (this.#immediates[0]?.cancelled) this.#immediates.shift();
    const immediate = this.#immediates[0];
    if (immediate && immediate.turn <= this.#turn) {
      this.#immediates.shift();
      this.#wake();
      immediate.run();
      return;
    }
    this.#turn++;
    this.#stage = 'timers';
    while (this.#heap[0]?.cancelled) this.#pop();
    const next = this.#heap[0];
    if (this.#immediates.length > 0 || (next && next.due <= this.#now)) {
      this.#wake();
      return;
    }
    if (!next || this.#frozen > 0) return; // idle; a new timer, or `hold` ending, wakes the clock
    this.#now = next.due;
    this.#wake();
  }

  #push(entry: Scheduled): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Scheduled, heap[parent] as Scheduled)) break;
      [heap[i], heap[parent]] = [heap[parent] as Scheduled, heap[i] as Scheduled];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (heap.length === 0 || !last) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < heap.length && before(heap[l] as Scheduled, heap[least] as Scheduled)) least = l;
      if (r < heap.length && before(heap[r] as Scheduled, heap[least] as Scheduled)) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least] as Scheduled, heap[i] as Scheduled];
      i = least;
    }
  }
}

function handle(entry: Scheduled): Timer {
  const timer: Timer = {
    cancel: () => {
      entry.cancelled = true;
    },
    unref: () => timer,
  };
  return timer;
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.due !== b.due ? a.due < b.due : a.seq < b.seq;
}
