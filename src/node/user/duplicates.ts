/**
 * Deliveries seen lately, so that one message arriving again is taken once. The protocol has no
 * message ids: a server may deliver a SEND once per retry of it, or a message may come by two
 * paths. A delivery with the same kind, sender, room and text as one taken less than `window` ms
 * ago is the same message; the reference server treats the same SEND within its `relayWindow`
 * the same way.
 */
import { BoundedMap } from '../bounded-map.ts';
import { endpointKey } from '../transport.ts';
import type { ChatMessage, RoomNotice } from './events.ts';

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

/**
 * Room notices seen lately: a notice that repeats the last one about the same member of the same
 * room, less than `window` ms later, is that notice arriving again (joined, left, joined again are
 * three notices; joined twice is one).
 */
export class RecentNotices {
  readonly #window: number;
  readonly #last = new BoundedMap<string, { change: string; at: number }>(REMEMBERED);

  /** `window` 0: every notice is new. */
  constructor(window: number) {
    this.#window = window;
  }

  isNew(notice: RoomNotice, now: number): boolean {
    if (this.#window === 0) return true;
    const key = `${notice.room} ${notice.member.alias} ${endpointKey(notice.member)}`;
    const last = this.#last.get(key);
    this.#last.set(key, { change: notice.change, at: now });
    return last === undefined || last.change !== notice.change || now - last.at >= this.#window;
  }
}
