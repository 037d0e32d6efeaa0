/**
 * Checks the grammar cannot express as token patterns: Byte and Port ranges and digit counts,
 * and the Message terminator. Both parsers call them, through actions.ts, with the text and the
 * token's start and end in it (no copy of the token is made for a Byte or a Port). They throw `ValueError`, which api.ts turns into a ProtocolError positioned in the
 * full text. No Chevrotain here: the fast path uses them too.
 */
import type { ProtocolErrorDetails } from '../src/errors.ts';

export class ValueError extends Error {
  readonly details: ProtocolErrorDetails;
  constructor(details: ProtocolErrorDetails) {
    super(details.reason);
    this.details = details;
  }
}

export const BYTE_EXPECTED = 'a Byte (0-255: 1-3 digits, 3 digits starting with 0-2)';
export const PORT_EXPECTED = 'a Port (4 digits, or 5 digits starting with 0-6; at most 65535)';
export const MESSAGE_EXPECTED = 'a Message (MESSAGE, a space, the content, NUL)';

// The token is all digits already (Digits), so only the count and the first digit are checked,
// and the value is summed by character code: these run for every Byte and Port, and a regular
// expression or `+digits` per token was a measurable share of parse time (bench/codec.ts).
const ZERO = 48;

function decimal(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

// Byte => [0-2]?[0-9]?[0-9]
export function checkByte(text: string, start: number, end: number): number {
  const length = end - start;
  if (length > 3 || (length === 3 && text.charCodeAt(start) > ZERO + 2)) {
    const digits = text.slice(start, end);
    fail(
      digits,
      start,
      'BYTE_PATTERN',
      'Byte',
      BYTE_EXPECTED,
      `Byte "${digits}" must be 1-3 digits, and 3 digits start with 0-2`,
    );
  }
  const value = decimal(text, start, end);
  if (value > 255) {
    const digits = text.slice(start, end);
    fail(digits, start, 'BYTE_RANGE', 'Byte', BYTE_EXPECTED, `Byte "${digits}" is out of range: at most 255`);
  }
  return value;
}

// Port => [0-6]?[0-9][0-9][0-9][0-9]
export function checkPort(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 4 || length > 5 || (length === 5 && text.charCodeAt(start) > ZERO + 6)) {
    const digits = text.slice(start, end);
    fail(
      digits,
      start,
      'PORT_PATTERN',
      'Port',
      PORT_EXPECTED,
      `Port "${digits}" must be 4 digits, or 5 digits starting with 0-6`,
    );
  }
  const value = decimal(text, start, end);
  if (value > 65535) {
    const digits = text.slice(start, end);
    fail(
      digits,
      start,
      'PORT_RANGE',
      'Port',
      PORT_EXPECTED,
      `Port "${digits}" is out of range: at most 65535`,
    );
  }
  return value;
}

const MESSAGE_WORD_LENGTH = 'MESSAGE'.length;
const SPACE = 32;
const NUL = 0;

/**
 * The content of the Message token from `start` to `end`: after `MESSAGE` and its one optional
 * space, before the NUL.
 */
export function messageContent(text: string, start: number, end: number): string {
  const after = start + MESSAGE_WORD_LENGTH;
  const separator = text.charCodeAt(after);
  if (separator !== SPACE && separator !== NUL && end > after) {
    throw new ValueError({
      code: 'MESSAGE_SEPARATOR',
      offset: after,
      expected: 'one space (or the NUL of an empty Message) after MESSAGE',
      found: JSON.stringify(text[after]),
      reason: `MESSAGE must be followed by one space or by NUL, not ${JSON.stringify(text[after])}`,
      rule: 'Message',
    });
  }
  if (text.charCodeAt(end - 1) !== NUL || end === after) {
    throw new ValueError({
      code: 'UNTERMINATED_MESSAGE',
      offset: end,
      expected: 'NUL ending the Message',
      found: 'end of input',
      reason: 'Message is not terminated by NUL',
      rule: 'Message',
    });
  }
  return text.slice(separator === SPACE ? after + 1 : after, end - 1);
}

function fail(
  digits: string,
  offset: number,
  code: ProtocolErrorDetails['code'],
  rule: string,
  expected: string,
  reason: string,
): never {
  throw new ValueError({ code, offset, expected, found: `"${digits}"`, reason, rule });
}
