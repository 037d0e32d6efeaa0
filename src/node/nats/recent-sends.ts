/**
 * What a NATS transport published lately, to publish again after a reconnect. NATS delivers at
 * most once, and two kinds of message are lost without the client knowing: those written to a
 * node's socket just before the node died (or while it was frozen, until the pings notice), and
 * those published while the client was disconnected (the client empties its outbound buffer on
 * every dial). Publishing them again after the reconnect makes the hop at least once, and the
 * protocol already takes a repeat once: relayed FIND and SEND by the seen-set, deliveries by the
 * user node's duplicate window, requests by the replay memory, gossip as a copy of its round.
 */

interface Sent {
  at: number;
  subject: string;
  data: Uint8Array;
}

export class RecentSends {
  readonly #window: number;
  readonly #limit: number;
  #sent: Sent[] = [];
  #head = 0;
  /** When the connection was lost, until the reconnect takes what to publish again. */
  #lostAt: number | undefined;

  /** Keeps what was published in the last `window` ms (0: nothing), at most `limit` messages. */
  constructor(window: number, limit: number) {
    this.#window = window;
    this.#limit = limit;
  }

  add(subject: string, data: Uint8Array, now: number): void {
    if (this.#window === 0) return;
    this.#sent.push({ at: now, subject, data });
    this.#forget(now);
  }

  /** The connection was lost at `at`: from now on keep everything published since `at - window`. */
  lost(at: number): void {
    this.#lostAt ??= at;
  }

  /** After a reconnect: what was published since the window before the loss, oldest first. */
  takeSinceLoss(now: number): { subject: string; data: Uint8Array }[] {
    if (this.#lostAt === undefined) return [];
    this.#forget(now);
    this.#lostAt = undefined;
    const taken = this.#sent.slice(this.#head).map(({ subject, data }) => ({ subject, data }));
    this.#sent = [];
    this.#head = 0;
    return taken;
  }

  #forget(now: number): void {
    const sent = this.#sent;
    const oldest = (this.#lostAt ?? now) - this.#window;
    while (
      this.#head < sent.length &&
      ((sent[this.#head] as Sent).at < oldest || sent.length - this.#head > this.#limit)
    )
      this.#head++;
    // Compact now and then rather than shifting on every message.
    if (this.#head > 1024 && this.#head * 2 > sent.length) {
      this.#sent = sent.slice(this.#head);
      this.#head = 0;
    }
  }
}
