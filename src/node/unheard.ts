import type { EventEmitter } from 'node:events';

/**
 * Emits `error` or `warning` on `emitter`, or, when nobody listens, makes it a process warning:
 * an unheard 'error' event would throw and take the whole process down for a problem the node
 * survived.
 */
export function reportUnheard(emitter: EventEmitter, event: 'error' | 'warning', error: Error): void {
  if (emitter.listenerCount(event) > 0) emitter.emit(event, error);
  else process.emitWarning(error);
}
