/**
 * The lexical rules of tokens.ts by character code, written once for the two paths that read
 * text: tokenizer.ts turns the text into Chevrotain tokens with `scanToken` for the Chevrotain
 * path; cursor.ts, under the generated fast parser, matches the token the grammar expects with
 * the same functions, and asks `scanToken` only where the grammar chooses. test/tokenizer.test.ts
 * holds the result equal to Chevrotain's own Lexer.
 *
 * - A run of `[A-Za-z0-9]` is one word (patterns are greedy). All digits: `Digits`. Exactly a
 *   keyword: that keyword (a keyword's `longer_alt` makes `SERVER2` a `Word`). Else `Word`.
 * - `MESSAGE` not followed by a letter or digit, where the next word is not a name, is a Message
 *   up to and including the next NUL (or to the end, so the missing NUL is reported).
 * - `+OK`, `-ERR` and `.` are themselves; space, tab, CR and LF separate and are skipped.
 * - Anything else is unexpected.
 */
import {
  DIGITS_ID,
  DOT_ID,
  ERR_ID,
  KEYWORD_IDS,
  KEYWORDS,
  MESSAGE_ID,
  MESSAGE_WORD,
  nextWordIsName,
  OK_ID,
  UNEXPECTED_ID,
  WORD_ID,
} from './vocabulary.ts';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_A = 65;
const UPPER_M = 77;
const UPPER_Z = 90;
const LOWER_A = 97;
const LOWER_Z = 122;

/** Character classes by code, for the ASCII range; everything above is unexpected. */
const OTHER = 0;
const WHITESPACE = 1;
const DIGIT = 2;
const LETTER = 3;
const CLASS = new Uint8Array(128);
CLASS[SPACE] = CLASS[TAB] = CLASS[LF] = CLASS[CR] = WHITESPACE;
for (let c = ZERO; c <= NINE; c++) CLASS[c] = DIGIT;
for (let c = UPPER_A; c <= UPPER_Z; c++) CLASS[c] = LETTER;
for (let c = LOWER_A; c <= LOWER_Z; c++) CLASS[c] = LETTER;

// Loops stop at the text's length rather than read past it: charCodeAt would give NaN there,
// a double where every other code is a small integer, and V8 then slows the whole scan.
const classOf = (code: number): number => (code < 128 ? (CLASS[code] as number) : OTHER);

/**
 * Keywords by first letter and length, so a word is compared in place with the one or two
 * keywords it could be, never copied out to be looked up.
 */
const LONGEST = Math.max(...KEYWORDS.map((k) => k.length));
const CANDIDATES: string[][] = [];
for (const keyword of KEYWORDS) {
  const slot = (keyword.charCodeAt(0) - UPPER_A) * (LONGEST + 1) + keyword.length;
  CANDIDATES[slot] = [...(CANDIDATES[slot] ?? []), keyword];
}

function keywordOrWord(text: string, start: number, end: number, first: number): number {
  const length = end - start;
  if (first > UPPER_Z || length > LONGEST) return WORD_ID;
  const candidates = CANDIDATES[(first - UPPER_A) * (LONGEST + 1) + length];
  if (candidates === undefined) return WORD_ID;
  for (let k = 0; k < candidates.length; k++) {
    const keyword = candidates[k] as string;
    if (text.startsWith(keyword, start)) return KEYWORD_IDS.get(keyword) as number;
  }
  return WORD_ID;
}

/** Where the token found by the last `scanToken` ends (exclusive). */
export let scannedEnd = 0;

/** The offset of the first character at or after `i` that is not whitespace. */
export function skipWhitespace(text: string, i: number): number {
  const length = text.length;
  while (i < length && classOf(text.charCodeAt(i)) === WHITESPACE) i++;
  return i;
}

/** True for a letter or digit (`[A-Za-z0-9]`). */
export function isWordCode(code: number): boolean {
  return classOf(code) >= DIGIT;
}

/** The end of the run of letters and digits starting at `i` (`i` itself when there is none). */
export function wordEnd(text: string, i: number): number {
  const length = text.length;
  while (i < length && classOf(text.charCodeAt(i)) >= DIGIT) i++;
  return i;
}

/**
 * The end of the all-digit word starting at `i`, or -1 when the word there is not all digits
 * (or there is none). One pass: this runs for every Byte and Port.
 */
export function digitsEnd(text: string, i: number): number {
  const length = text.length;
  let end = i;
  for (; end < length; end++) {
    const code = text.charCodeAt(end);
    if (code < ZERO || code > NINE) break;
  }
  if (end === i || (end < length && classOf(text.charCodeAt(end)) === LETTER)) return -1;
  return end;
}

/** The token a run of letters and digits is: `Digits` when all digits, else a keyword or `Word`. */
export function wordType(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (classOf(first) === DIGIT) {
    let i = start + 1;
    while (i < end && classOf(text.charCodeAt(i)) === DIGIT) i++;
    if (i === end) return DIGITS_ID;
  }
  return keywordOrWord(text, start, end, first);
}

/**
 * The end of the Message token starting at `i` (after its NUL, or the end of the text when there
 * is none), or -1 when there is none: `MESSAGE` not followed by a letter or digit, where the next
 * word is not a name.
 */
export function messageEnd(text: string, i: number, run: number): number {
  if (!text.startsWith(MESSAGE_WORD, i) || nextWordIsName(run)) return -1;
  const after = i + MESSAGE_WORD.length;
  if (after < text.length && classOf(text.charCodeAt(after)) >= DIGIT) return -1;
  const nul = text.indexOf('\0', after);
  return nul === -1 ? text.length : nul + 1;
}

/**
 * The id of the token starting at `i`, which is not whitespace and not the end (UNEXPECTED_ID
 * for a character no token starts with), and its end in `scannedEnd`. `run` is the number of
 * name-taking keywords just before (see `nextWordIsName`).
 */
export function scanToken(text: string, i: number, run: number): number {
  const code = text.charCodeAt(i);
  if (code === DOT) {
    scannedEnd = i + 1;
    return DOT_ID;
  }
  if (classOf(code) >= DIGIT) {
    if (code === UPPER_M) {
      const end = messageEnd(text, i, run);
      if (end !== -1) {
        scannedEnd = end;
        return MESSAGE_ID;
      }
    }
    const end = wordEnd(text, i + 1);
    scannedEnd = end;
    return wordType(text, i, end);
  }
  if (code === PLUS && text.startsWith('+OK', i)) {
    scannedEnd = i + 3;
    return OK_ID;
  }
  if (code === MINUS && text.startsWith('-ERR', i)) {
    scannedEnd = i + 4;
    return ERR_ID;
  }
  return UNEXPECTED_ID;
}
