/**
 * Deliveries seen lately, so that one message arriving again is taken once. The protocol has no
 * message ids: a server may deliver a SEND once per retry of it, or a message may come by two
 * paths. A delivery with the same kind, sender, room and text as one taken less than `window` ms
 * ago is the same message; the reference server treats the same SEND within its `relayWindow`
 * the same way.
 */
import { BoundedMap } from '../bounded-map.ts';
import { endpointKey } from '../transport.ts';
import type { ChatMessage } from './events.ts';

/** Deliveries remembered at once; the oldest are forgotten first. */
const REMEMBERED = 1024;

export class RecentDeliveries {
  readonly #window: number;
  readonly #seen = new BoundedMap<string, number>(REMEMBERED);

  /** `window` 0: every delivery is new. */
  constructor(window: number) {
    this.#window = window;
  }

  /** True when `message` was not taken within the window; then it is remembered from now. */
  isNew(message: ChatMessage, now: number): boolean {
    if (this.#window === 0) return true;
    const key = `${message.kind} ${message.from.alias} ${endpointKey(message.from)} ${message.room ?? ''} ${message.text}`;
    const last = this.#seen.get(key);
    if (last !== undefined && now - last < this.#window) return false;
    this.#seen.set(key, now);
    return true;
  }
}
