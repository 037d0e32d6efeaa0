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
import { type Endpoint, endpointKey, sameEndpoint } from '../transport.ts';

interface Answered {
  at: number;
  to: Endpoint;
  replies: Packet[];
}

export class ReplayCache {
  readonly #window: number;
  readonly #limit: number;
  readonly #answered = new Map<string, Answered>();
  #recording: Answered | undefined;

  /** `limit` bounds memory: the oldest entries go first. */
  constructor(window: number, limit = 10_000) {
    this.#window = window;
    this.#limit = limit;
  }

  get size(): number {
    return this.#answered.size;
  }

  /**
   * Runs `act` for a request seen for the first time, recording what is sent back to `from`;
   * for a repeat inside the window, returns the recorded replies instead (and runs nothing).
   */
  handle(
    from: Endpoint,
    request: string,
    now: number,
    act: () => void,
    startsAfresh: boolean,
  ): Packet[] | undefined {
    const key = `${endpointKey(from)} ${request}`;
    const seen = this.#answered.get(key);
    if (seen && now - seen.at <= this.#window) return seen.replies;
    if (startsAfresh) this.forget(from);
    else this.#answered.delete(key);
    const entry: Answered = { at: now, to: from, replies: [] };
    this.#recording = entry;
    try {
      act();
    } finally {
      this.#recording = undefined;
    }
    this.#answered.set(key, entry);
    this.#prune(now);
    return undefined;
  }

  /** Forgets every request from `from`. */
  forget(from: Endpoint): void {
    const prefix = `${endpointKey(from)} `;
    for (const key of this.#answered.keys()) if (key.startsWith(prefix)) this.#answered.delete(key);
  }

  /** Called for every datagram the server sends, so replies made while acting are recorded. */
  sent(packet: Packet, to: Endpoint): void {
    if (this.#recording && sameEndpoint(this.#recording.to, to)) this.#recording.replies.push(packet);
  }

  #prune(now: number): void {
    // Map order is insertion order, so the oldest entries are first.
    for (const [key, entry] of this.#answered) {
      if (this.#answered.size <= this.#limit && now - entry.at <= this.#window) break;
      this.#answered.delete(key);
    }
  }
}
