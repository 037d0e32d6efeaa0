import { parseText } from '../grammar/api.ts';
import type { Packet } from './ast.ts';
import { ProtocolError } from './errors.ts';

/** The outcome of `safeParse`: a packet, or the ProtocolError `parse` would have thrown. */
export type ParseResult = { ok: true; value: Packet } | { ok: false; error: ProtocolError };

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
  if (typeof input === 'string') return parseText(input);
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
  // `good` bytes decode (perhaps with an unfinished sequence held back); byte `good` breaks them,
  // or, when every prefix decodes, the input ends inside a sequence.
  const byteOffset = Math.min(good, bytes.length);
  const prefix = decodesAsPrefix(good) ?? '';
  const byte = bytes[byteOffset];
  return new ProtocolError(
    {
      code: 'INVALID_UTF8',
      offset: prefix.length,
      expected: 'UTF-8 text',
      found:
        byte === undefined
          ? 'end of input inside a UTF-8 sequence'
          : `byte 0x${byte.toString(16).padStart(2, '0')}`,
      reason:
        byte === undefined
          ? `invalid UTF-8: input ends inside a multi-byte sequence (byte ${byteOffset})`
          : `invalid UTF-8 at byte ${byteOffset} (0x${byte.toString(16).padStart(2, '0')})`,
    },
    prefix,
  );
}
