import { parseText } from '../grammar/api.ts';
import type { Packet } from './ast.ts';
import { ProtocolError } from './errors.ts';

/** The outcome of `safeParse`: a packet, or the ProtocolError `parse` would have thrown. */
export type ParseResult =
  | {
      /** The input was a packet. */
      ok: true;
      /** The packet. */
      value: Packet;
    }
  | {
      /** The input was not a packet. */
      ok: false;
      /** Where and why parsing stopped. */
      error: ProtocolError;
    };

/**
 * Parses one packet (one datagram) into its typed AST.
 *
 * @param input Wire text, or its UTF-8 bytes (e.g. a datagram's Buffer).
 * @throws ProtocolError for anything that is not exactly one packet, and never anything else.
 * @example
 * const packet = parse('USERNODE bob 127.0.0.1 5001 FIND alice');
 * if (packet.kind === 'UserCommand' && packet.command.verb === 'FIND') console.log(packet.command.alias);
 */
export function parse(input: string | Uint8Array): Packet {
  if (typeof input === 'string') {
    // Text is UTF-8 on the wire: a string that cannot be encoded (a lone surrogate) is no packet.
    if (!input.isWellFormed()) throw loneSurrogate(input);
    return parseText(input);
  }
  if (input instanceof Uint8Array) return parseText(decodeUtf8(input));
  throw new ProtocolError({
    code: 'INVALID_INPUT',
    offset: 0,
    expected: 'a string or a Uint8Array',
    found: input === null ? 'null' : typeof input,
    reason: `expected a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`,
  });
}

/**
 * Like `parse`, but returns the error instead of throwing it.
 * @example
 * const result = safeParse(datagram);
 * if (!result.ok) console.warn(result.error.message);
 */
export function safeParse(input: string | Uint8Array): ParseResult {
  try {
    return { ok: true, value: parse(input) };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error };
    throw error;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
}

/**
 * Finds where the bytes stop being UTF-8: the longest prefix that decodes in streaming mode (an
 * unfinished sequence at its end is not yet an error) is found by bisection, as validity of a
 * prefix only ever turns from true to false. Runs only for input already known to be invalid.
 */
function invalidUtf8(bytes: Uint8Array): ProtocolError {
  const decodesAsPrefix = (length: number): string | undefined => {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), {
        stream: true,
      });
    } catch {
      return undefined;
    }
  };
  let good = 0;
  let bad = bytes.length + 1;
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (decodesAsPrefix(middle) === undefined) bad = middle;
    else good = middle;
  }
  // `good` bytes decode, perhaps with the start of an unfinished sequence held back; the bad
  // sequence starts where the fully decoded text ends.
  const prefix = decodesAsPrefix(good) ?? '';
  const start = new TextEncoder().encode(prefix).length;
  const byte = bytes[start] as number;
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  const truncated = good === bytes.length;
  return new ProtocolError(
    {
      code: 'INVALID_UTF8',
      offset: prefix.length,
      expected: 'UTF-8 text',
      found: `byte ${hex}`,
      reason: truncated
        ? `invalid UTF-8: the input ends inside the sequence starting at byte ${start} (${hex})`
        : `invalid UTF-8 in the sequence starting at byte ${start} (${hex})`,
    },
    prefix,
  );
}

function loneSurrogate(text: string): ProtocolError {
  let offset = 0;
  for (; offset < text.length; offset++) {
    const unit = text.charCodeAt(offset);
    const next = text.charCodeAt(offset + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) offset++;
    else if (unit >= 0xd800 && unit <= 0xdfff) break;
  }
  const unit = text.charCodeAt(offset).toString(16).toUpperCase();
  return new ProtocolError(
    {
      code: 'INVALID_UTF8',
      offset,
      expected: 'text that can be encoded as UTF-8',
      found: `lone surrogate U+${unit}`,
      reason: `lone surrogate U+${unit} cannot be encoded as UTF-8`,
    },
    text,
  );
}
