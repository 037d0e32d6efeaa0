/**
 * The command a reply echoes, cut to fit. A node accepts datagrams up to the UDP maximum but sends
 * at most MAX_DATAGRAM bytes (wire.ts), so a reply to a request near or over that size (a SEND
 * whose message is over `limits.messageBytes`, a name thousands of characters long) cannot echo it
 * verbatim. Section III says the echo is "usually verbatim from the request", so such a reply
 * echoes the command with its longest names and texts cut to a prefix (at least one character, so
 * the echo still parses), and the requester matches it to its request by those prefixes
 * (`isCutOf`).
 */
import type { Command } from '../ast.ts';

const encoder = new TextEncoder();

type Slot = { get(): string; set(value: string): void };

/** The names and texts of a command that may be cut, with how to read and replace each. */
function slots(command: Command): Slot[] {
  const found: Slot[] = [];
  const field = (owner: object, key: string) => {
    const record = owner as Record<string, unknown>;
    if (typeof record[key] === 'string')
      found.push({ get: () => record[key] as string, set: (v) => (record[key] = v) });
  };
  field(command.sender, 'alias');
  const body = command.command as unknown as Record<string, unknown>;
  for (const key of ['alias', 'room', 'message']) field(body, key);
  for (const key of ['user', 'server'])
    if (typeof body[key] === 'object' && body[key] !== null) field(body[key] as object, 'alias');
  return found;
}

/**
 * `command` with its longest names and texts cut until its canonical text is at least `excess`
 * bytes shorter; undefined when cutting every one to a single character is not enough.
 */
export function cutEcho(command: Command, excess: number): Command | undefined {
  const copy = structuredClone(command);
  let left = excess;
  const fields = slots(copy).sort((a, b) => b.get().length - a.get().length);
  for (const slot of fields) {
    if (left <= 0) break;
    const chars = Array.from(slot.get());
    // Removing k characters removes at least k bytes.
    const keep = Math.max(1, chars.length - left);
    const before = encoder.encode(slot.get()).length;
    slot.set(chars.slice(0, keep).join(''));
    left -= before - encoder.encode(slot.get()).length;
  }
  return left <= 0 ? copy : undefined;
}

/** Whether `echoed` is `original` with some of its names and texts cut to a prefix (`cutEcho`). */
export function isCutOf(echoed: Command, original: Command): boolean {
  if (echoed.kind !== original.kind || echoed.command.verb !== original.command.verb) return false;
  const [cut, whole] = [slots(echoed), slots(original)];
  if (cut.length !== whole.length) return false;
  const stripped = (c: Command) => {
    const copy = structuredClone(c);
    for (const slot of slots(copy)) slot.set('');
    return JSON.stringify(copy);
  };
  if (stripped(echoed) !== stripped(original)) return false;
  return cut.every((slot, i) => whole[i]?.get().startsWith(slot.get()));
}
