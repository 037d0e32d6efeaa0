/**
 * The tokenizer that feeds the parser: the vocabulary of tokens.ts, scanned by character code in
 * one pass. It yields exactly the tokens Chevrotain's Lexer yields for the same definitions
 * (test/tokenizer.test.ts holds the two equal on the corpora, the conformance vectors and random
 * input) at several times its speed: Chevrotain's lexer tries token patterns one after another
 * at each offset, where one look at a character's class decides here (see docs/performance.md).
 *
 * How the rules of tokens.ts come out:
 * - A run of `[A-Za-z0-9]` is one word (patterns are greedy). All digits: `Digits`. Exactly a
 *   keyword: that keyword (a keyword's `longer_alt` makes `SERVER2` a `Word`). Else `Word`.
 * - `MESSAGE` not followed by a letter or digit, where the next word is not a name, is a Message
 *   up to and including the next NUL (or to the end, so the missing NUL is reported).
 * - `+OK`, `-ERR` and `.` are themselves; space, tab, CR and LF separate and are skipped.
 * - Anything else stops the scan: the first unexpected character is the error, as Chevrotain's
 *   first lexing error is.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.ts';

/** The outcome: the tokens, and the offset of the first unexpected character, if any. */
export interface Tokenized {
  tokens: IToken[];
  errorOffset: number | undefined;
}

const KEYWORDS = new Map<string, TokenType>(
  T.allTokens.filter((t) => t.CATEGORIES?.includes(T.Word) && t !== T.Digits).map((t) => [t.name, t]),
);
const MESSAGE = 'MESSAGE';

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

function token(tokenType: TokenType, image: string, startOffset: number): IToken {
  // The fields Chevrotain's own tokens have with `positionTracking: 'onlyOffset'`, in its order,
  // so tokens from here and from its Lexer share one shape.
  return {
    image,
    startOffset,
    endOffset: startOffset + image.length - 1,
    tokenTypeIdx: tokenType.tokenTypeIdx as number,
    tokenType,
  } as IToken;
}

export function tokenize(text: string): Tokenized {
  const tokens: IToken[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    const kind = classOf(code);
    if (kind === WHITESPACE) {
      i++;
      continue;
    }
    if (kind === DIGIT || kind === LETTER) {
      if (code === UPPER_M && text.startsWith(MESSAGE, i)) {
        const after = i + MESSAGE.length;
        if (classOf(text.charCodeAt(after)) < DIGIT && !T.nextWordIsName(tokens)) {
          const nul = text.indexOf('\0', after);
          const end = nul === -1 ? length : nul + 1;
          tokens.push(token(T.Message, text.slice(i, end), i));
          i = end;
          continue;
        }
      }
      let end = i + 1;
      let digits = kind === DIGIT;
      for (; end < length; end++) {
        const next = classOf(text.charCodeAt(end));
        if (next === LETTER) digits = false;
        else if (next !== DIGIT) break;
      }
      const image = text.slice(i, end);
      const type = digits ? T.Digits : (KEYWORDS.get(image) ?? T.Word);
      tokens.push(token(type, image, i));
      i = end;
      continue;
    }
    if (code === DOT) {
      tokens.push(token(T.Dot, '.', i));
      i++;
    } else if (code === PLUS && text.startsWith('+OK', i)) {
      tokens.push(token(T.Ok, '+OK', i));
      i += 3;
    } else if (code === MINUS && text.startsWith('-ERR', i)) {
      tokens.push(token(T.Err, '-ERR', i));
      i += 4;
    } else {
      return { tokens, errorOffset: i };
    }
  }
  return { tokens, errorOffset: undefined };
}
