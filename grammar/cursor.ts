/**
 * The fast parser's view of the text: one token of lookahead, scanned on demand by scanner.ts
 * with the same separator rule as lexer.ts's `checkSeparators`, and no token objects. The
 * generated parser calls `type`, `next`, `source`, `tokenStart`, `tokenEnd` and `fail`.
 *
 * It only ever needs to be right about packets it accepts: anything it is unsure of fails, and
 * api.ts then asks the Chevrotain path, which finds and words the error (or, should the fast path
 * be stricter than the grammar, the packet). So whitespace beside a dot always fails here, though
 * `checkSeparators` tells apart the cases that are errors of their own.
 */
import { scannedEnd, scanToken, skipWhitespace } from './scanner.ts';
import { DOT_ID, EOF_ID, MESSAGE_ID, NAME_TAKING, UNEXPECTED_ID } from './vocabulary.ts';

/** Thrown by `fail`: not a packet the fast path accepts. Not an Error, so throwing it is cheap. */
export const NOT_ACCEPTED = Symbol('not accepted by the fast path');

let text = '';
/** The lookahead token: its id (vocabulary.ts), start and end. */
let lookahead: number = EOF_ID;
let start = 0;
let end = 0;
/** Name-taking keywords just before the lookahead token (vocabulary.ts, `nextWordIsName`). */
let run = 0;

/** Starts on `input`, with its first token as the lookahead. */
export function reset(input: string): void {
  text = input;
  run = 0;
  const i = skipWhitespace(text, 0);
  scanAt(i);
}

/** Moves past the lookahead token. */
export function next(): void {
  const previous = lookahead;
  const previousEnd = end;
  run = NAME_TAKING[previous] === 1 ? run + 1 : 0;
  const i = skipWhitespace(text, previousEnd);
  scanAt(i);
  if (lookahead === EOF_ID) return;
  // Tokens are separated by whitespace, except the dots of an IPAddress (no whitespace beside
  // them) and after a Message (its NUL ends it).
  if (previous === DOT_ID || lookahead === DOT_ID) {
    if (i > previousEnd) fail();
  } else if (i === previousEnd && previous !== MESSAGE_ID) fail();
}

function scanAt(i: number): void {
  if (i >= text.length) {
    lookahead = EOF_ID;
    start = end = text.length;
    return;
  }
  const id = scanToken(text, i, run);
  if (id === UNEXPECTED_ID) fail();
  lookahead = id;
  start = i;
  end = scannedEnd;
}

/** The lookahead token's id. */
export function type(): number {
  return lookahead;
}

/** The text being parsed. */
export function source(): string {
  return text;
}

/** Where the lookahead token starts in the text. */
export function tokenStart(): number {
  return start;
}

/** Where the lookahead token ends in the text (exclusive). */
export function tokenEnd(): number {
  return end;
}

export function fail(): never {
  throw NOT_ACCEPTED;
}
