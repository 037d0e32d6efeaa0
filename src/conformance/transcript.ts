/** Everything a case exchanged, with times: the "observed" column of the reports. */

/** One datagram sent or received by the kit, or a line of the node under test's output. */
export interface TranscriptEvent {
  /** Milliseconds since the case started. */
  t: number;
  /** Who in the kit sent or received it: a kit user or server's alias, or `node` for a node's output. */
  actor: string;
  /** A datagram the kit sent or received, or a line the node under test printed. */
  direction: 'sent' | 'received' | 'output';
  /** The other end: `ip:port`, a channel as `ip:port (channel)`, or `stdout`/`stderr`. */
  peer: string;
  /** The datagram's text with NUL shown as `\0` and other controls escaped. */
  text: string;
  /** Size in bytes on the wire. */
  bytes: number;
}

/** Shows a datagram's text on one line: NUL as `\0`, controls as `\xHH`, trailing padding summarized. */
export function showDatagram(data: Uint8Array | string): string {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  const trimmed = text.replace(/ {16,}$/, '');
  const padding = text.length - trimmed.length;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  const shown = trimmed.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\0' ? '\\0' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return padding > 0 ? `${shown} (+${padding} spaces)` : shown;
}

/** A case's record of events, timed from its start. */
export class Transcript {
  readonly events: TranscriptEvent[] = [];
  readonly #start = performance.now();
  /** How many events are kept at most: a case that loops cannot fill memory. */
  static readonly LIMIT = 2000;

  record(event: Omit<TranscriptEvent, 't'>): void {
    if (this.events.length >= Transcript.LIMIT) return;
    this.events.push({ t: Math.round(performance.now() - this.#start), ...event });
  }
}
