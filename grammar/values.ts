/**
 * Checks the grammar cannot express as token patterns: Byte and Port ranges and digit counts,
 * and the Message terminator. They throw `ValueError`, which api.ts turns into a ProtocolError
 * positioned in the full text.
 */
import type { IToken } from 'chevrotain';
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
// by character code: these run for every Byte and Port, and a regular expression per token was
// a measurable share of parse time (bench/codec.ts).
const ZERO = 48;

// Byte => [0-2]?[0-9]?[0-9]
export function checkByte(token: IToken): number {
  const digits = token.image;
  const length = digits.length;
  if (length > 3 || (length === 3 && digits.charCodeAt(0) > ZERO + 2)) {
    fail(
      token,
      'BYTE_PATTERN',
      BYTE_EXPECTED,
      `Byte "${digits}" must be 1-3 digits, and 3 digits start with 0-2`,
    );
  }
  const value = +digits;
  if (value > 255) fail(token, 'BYTE_RANGE', BYTE_EXPECTED, `Byte "${digits}" is out of range: at most 255`);
  return value;
}

// Port => [0-6]?[0-9][0-9][0-9][0-9]
export function checkPort(token: IToken): number {
  const digits = token.image;
  const length = digits.length;
  if (length < 4 || length > 5 || (length === 5 && digits.charCodeAt(0) > ZERO + 6)) {
    fail(
      token,
      'PORT_PATTERN',
      PORT_EXPECTED,
      `Port "${digits}" must be 4 digits, or 5 digits starting with 0-6`,
    );
  }
  const value = +digits;
  if (value > 65535)
    fail(token, 'PORT_RANGE', PORT_EXPECTED, `Port "${digits}" is out of range: at most 65535`);
  return value;
}

const MESSAGE_WORD_LENGTH = 'MESSAGE'.length;
const SPACE = 32;
const NUL = 0;

/** The content of a Message token: after `MESSAGE` and its one optional space, before the NUL. */
export function messageContent(token: IToken): string {
  const image = token.image;
  const separator = image.charCodeAt(MESSAGE_WORD_LENGTH);
  if (separator !== SPACE && separator !== NUL && image.length > MESSAGE_WORD_LENGTH) {
    throw new ValueError({
      code: 'MESSAGE_SEPARATOR',
      offset: token.startOffset + MESSAGE_WORD_LENGTH,
      expected: 'one space (or the NUL of an empty Message) after MESSAGE',
      found: JSON.stringify(image[MESSAGE_WORD_LENGTH]),
      reason: `MESSAGE must be followed by one space or by NUL, not ${JSON.stringify(image[MESSAGE_WORD_LENGTH])}`,
    });
  }
  if (image.charCodeAt(image.length - 1) !== NUL || image.length === MESSAGE_WORD_LENGTH) {
    throw new ValueError({
      code: 'UNTERMINATED_MESSAGE',
      offset: token.startOffset + image.length,
      expected: 'NUL ending the Message',
      found: 'end of input',
      reason: 'Message is not terminated by NUL',
    });
  }
  const start = separator === SPACE ? MESSAGE_WORD_LENGTH + 1 : MESSAGE_WORD_LENGTH;
  return image.slice(start, image.length - 1);
}

function fail(token: IToken, code: ProtocolErrorDetails['code'], expected: string, reason: string): never {
  throw new ValueError({ code, offset: token.startOffset, expected, found: `"${token.image}"`, reason });
}
