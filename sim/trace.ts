/**
 * The recorded history of a run: every datagram sent and every operation, answer, delivery,
 * move and fault, in order, with its virtual time. The digest covers all of it (datagrams by
 * their bytes), so two runs with one digest did the same thing event for event. The checker
 * judges the run from this history alone.
 */
import { createHash } from 'node:crypto';

export interface TraceEvent {
  /** Virtual ms since the run started. */
  t: number;
  /** What happened: `op`, `ok`, `fail`, `deliver`, `serverDeliver`, `moved`, `fault`, ... */
  kind: string;
  /** Who: `s3` (a server slot), `u7.2` (user slot 7, its third node), `net`, `rogue`. */
  node: string;
  /** The rest, as plain values. */
  [field: string]: unknown;
}

export class Trace {
  readonly events: TraceEvent[] = [];
  readonly #hash = createHash('sha256');
  readonly #start: number;
  readonly #now: () => number;
  /** Datagrams are counted and hashed, not kept: there are too many to keep. */
  datagrams = 0;

  constructor(now: () => number) {
    this.#now = now;
    this.#start = now();
  }

  get time(): number {
    return this.#now() - this.#start;
  }

  record(kind: string, node: string, fields: Record<string, unknown> = {}): TraceEvent {
    const event: TraceEvent = { t: this.time, kind, node, ...fields };
    this.events.push(event);
    this.#hash.update(line(event)).update('\n');
    return event;
  }

  /** A datagram sent: into the digest, not into the kept events. */
  datagram(from: string, to: string, bytes: Uint8Array): void {
    this.datagrams++;
    this.#hash.update(`${this.time} ${from}>${to} `).update(bytes).update('\n');
  }

  /** Events recorded plus datagrams sent. */
  get count(): number {
    return this.events.length + this.datagrams;
  }

  digest(): string {
    return this.#hash.copy().digest('hex').slice(0, 16);
  }
}

/** One event as a line of text. */
export function line(event: TraceEvent): string {
  const { t, kind, node, ...rest } = event;
  const fields = Object.entries(rest).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return [`${(t / 1000).toFixed(3)}s`, node, kind, ...fields].join(' ');
}
