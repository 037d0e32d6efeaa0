/**
 * No amplification. UDP source addresses can be forged, so a datagram from a source the server
 * does not know (not a registered user node, not a neighbour server) may have been sent in a
 * victim's name. Everything the server sends because of such datagrams, to anyone but its own
 * users, neighbours and channels, is paid from a credit the source has earned: three times the
 * bytes it sent (QUIC's anti-amplification limit, RFC 9000 section 8.1). So a stranger can never
 * make the server send more than three times what it sent itself.
 *
 * Most answers fit within three times their request at once; padding (trailing spaces, which the
 * grammar ignores) buys room for a larger one, such as a PREFERRED's list of neighbours.
 */
import { BoundedMap } from '../bounded-map.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

/** What one byte received earns (QUIC's factor). */
export const AMPLIFICATION = 3;

/** Bytes a source may have in hand; enough for any answer, small enough to bound the table. */
const MAX_CREDIT = 3 * 4096;

export class ReplyCredit {
  /** At most `sources` addresses remembered (`limits.credits`); the longest idle is forgotten first. */
  readonly #credit: BoundedMap<string, number>;

  constructor(sources: number) {
    this.#credit = new BoundedMap(sources);
  }

  /** `from` sent `bytes`: it may be sent three times as many. */
  earn(from: Endpoint, bytes: number): void {
    const key = endpointKey(from);
    this.#credit.set(key, Math.min(MAX_CREDIT, (this.#credit.get(key) ?? 0) + AMPLIFICATION * bytes));
  }

  /** The bytes `from` may still be sent. */
  balance(from: Endpoint): number {
    return this.#credit.get(endpointKey(from)) ?? 0;
  }

  /** Takes back what `bytes` from `from` earned (the datagram turned out to be another's). */
  unearn(from: Endpoint, bytes: number): void {
    const key = endpointKey(from);
    const credit = this.#credit.get(key);
    if (credit !== undefined) this.#credit.set(key, Math.max(0, credit - AMPLIFICATION * bytes));
  }

  /** Pays `bytes` from `from`'s credit; false (nothing paid) when it has too little. */
  spend(from: Endpoint, bytes: number): boolean {
    const key = endpointKey(from);
    const credit = this.#credit.get(key) ?? 0;
    if (credit < bytes) return false;
    this.#credit.set(key, credit - bytes);
    return true;
  }
}
