/**
 * What `messages()` holds for a reader that has not caught up: bounded in bytes, so a flood of
 * messages (forged ones included) cannot grow the process without bound. When full, the oldest
 * messages are dropped, and the reader is told how many once it catches up.
 */
import type { EventEmitter } from 'node:events';
import { reportUnheard } from '../unheard.ts';
import type { ChatMessage, UserEvents } from './events.ts';

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

/**
 * A node's `message` events as an async iterator, held in a MessageQueue of `limit` bytes: it
 * ends when the node closes (at once if `closed()` already), and throws `signal.reason` when
 * `signal` aborts. Dropped messages are reported as one warning when the reader catches up.
 */
export async function* bufferedMessages(
  node: EventEmitter<UserEvents>,
  closed: () => boolean,
  limit: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChatMessage, void, undefined> {
  if (closed()) return;
  signal?.throwIfAborted();
  const queue = new MessageQueue(limit);
  const push = (message: ChatMessage) => queue.push(message);
  const end = () => queue.end();
  node.on('message', push);
  node.once('close', end);
  signal?.addEventListener('abort', end, { once: true });
  try {
    for (let message = await queue.next(); message; message = await queue.next()) {
      const dropped = queue.takeDropped();
      if (dropped > 0)
        reportUnheard(node, 'warning', new Error(`messages(): ${dropped} dropped, the reader fell behind`));
      yield message;
    }
    signal?.throwIfAborted();
  } finally {
    node.off('message', push);
    node.off('close', end);
    signal?.removeEventListener('abort', end);
  }
}
