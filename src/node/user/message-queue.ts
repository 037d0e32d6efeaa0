/**
 * What `messages()` holds for a reader that has not caught up: bounded in bytes, so a flood of
 * messages (forged ones included) cannot grow the process without bound. When full, the oldest
 * messages are dropped, and the reader is told how many once it catches up.
 */
import type { ChatMessage } from './events.ts';

/** A message's cost in the buffer: its text plus the sender and room it carries. */
function cost(message: ChatMessage): number {
  return 2 * (message.text.length + message.from.alias.length + (message.room?.length ?? 0)) + 64;
}

export class MessageQueue {
  readonly #limit: number;
  readonly #queue: ChatMessage[] = [];
  #bytes = 0;
  #dropped = 0;
  #ended = false;
  #wake: (() => void) | undefined;

  /** `limit`: bytes held at most. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  push(message: ChatMessage): void {
    if (this.#ended) return;
    this.#queue.push(message);
    this.#bytes += cost(message);
    while (this.#bytes > this.#limit && this.#queue.length > 1) {
      this.#bytes -= cost(this.#queue.shift() as ChatMessage);
      this.#dropped++;
    }
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Messages dropped since the last call: the reader fell that far behind. */
  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  /** The next message, or undefined once the queue has ended and is empty. */
  async next(): Promise<ChatMessage | undefined> {
    while (this.#queue.length === 0) {
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    const message = this.#queue.shift() as ChatMessage;
    this.#bytes -= cost(message);
    return message;
  }
}
