/**
 * One token of the vocabulary at a time, scanned by character code: the lexical rules of
 * tokens.ts written once for the two paths that read text. tokenizer.ts turns every token into a
 * Chevrotain token for the Chevrotain path; cursor.ts, under the generated fast parser, keeps only
 * the current one. test/tokenizer.test.ts holds the result equal to Chevrotain's own Lexer.
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

const classOf = (code: number): number => (code < 128 ? (CLASS[code] as number) : OTHER);

// Loops stop at the text's length rather than read past it: charCodeAt would give NaN there,
// a double where every other code is a small integer, and V8 then slows the whole scan.

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

/**
 * The id of the token starting at `i`, which is not whitespace and not the end (UNEXPECTED_ID
 * for a character no token starts with), and its end in `scannedEnd`. `run` is the number of
 * name-taking keywords just before (see `nextWordIsName`).
 */
export function scanToken(text: string, i: number, run: number): number {
  const code = text.charCodeAt(i);
  // Dots first: an address has three, more than any other token.
  if (code === DOT) {
    scannedEnd = i + 1;
    return DOT_ID;
  }
  const kind = classOf(code);
  if (kind === DIGIT || kind === LETTER) {
    const length = text.length;
    if (code === UPPER_M && text.startsWith(MESSAGE_WORD, i)) {
      const after = i + MESSAGE_WORD.length;
      if ((after === length || classOf(text.charCodeAt(after)) < DIGIT) && !nextWordIsName(run)) {
        const nul = text.indexOf('\0', after);
        scannedEnd = nul === -1 ? text.length : nul + 1;
        return MESSAGE_ID;
      }
    }
    let end = i + 1;
    let digits = kind === DIGIT;
    for (; end < length; end++) {
      const next = classOf(text.charCodeAt(end));
      if (next === LETTER) digits = false;
      else if (next !== DIGIT) break;
    }
    scannedEnd = end;
    if (digits) return DIGITS_ID;
    return kind === LETTER ? keywordOrWord(text, i, end, code) : WORD_ID;
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
