/**
 * Chevrotain's Lexer for the vocabulary of tokens.ts (its validations run in the tests, and
 * tokenizer.ts is held equal to it), and the separator rule no lexer enforces by itself.
 */
import type { ILexerConfig, IToken, Lexer } from 'chevrotain';
import { chevrotain } from './chevrotain.ts';
import { tokens as tokenTypes } from './tokens.ts';
import { ValueError } from './values.ts';

export function createLexer(config: ILexerConfig = {}): Lexer {
  const { Lexer } = chevrotain();
  return new Lexer(tokenTypes().all, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
    ...config,
  });
}

/**
 * Tokens are separated by whitespace, except inside an IPAddress (no whitespace around its dots)
 * and after a Message (its NUL already ends it). Chevrotain would happily lex `5000+OK` as two
 * tokens and `1 .2.3.4` as an address, so the rule is checked here, in one pass.
 */
export function checkSeparators(tokens: readonly IToken[]): void {
  const { Dot, Message } = tokenTypes();
  for (let i = 1; i < tokens.length; i++) {
    const previous = tokens[i - 1] as IToken;
    const current = tokens[i] as IToken;
    const previousEnd = previous.startOffset + previous.image.length;
    const gap = current.startOffset - previousEnd;
    if (previous.tokenType === Dot || current.tokenType === Dot) {
      if (gap > 0 && splitsAddress(tokens, i)) {
        throw new ValueError({
          code: 'SPACE_IN_IP_ADDRESS',
          offset: previousEnd,
          expected: 'no whitespace inside an IPAddress',
          found: 'whitespace',
          reason: 'whitespace inside an IPAddress is not allowed',
        });
      }
    } else if (gap === 0 && previous.tokenType !== Message) {
      throw new ValueError({
        code: 'MISSING_SEPARATOR',
        offset: current.startOffset,
        expected: 'whitespace between tokens',
        found: quote(current.image),
        reason: `expected whitespace between ${quote(previous.image)} and ${quote(current.image)}`,
      });
    }
  }
}

/**
 * True when the whitespace before token `i` sits inside an address: between a Byte and a dot
 * that has a Byte on its other side (`1 .2.3.4`, `1.2. 3.4`, `1 . 2.3.4`). Dots appear only in
 * addresses, so whitespace beside one is whitespace in an address. A stray dot elsewhere
 * (`alice .`) is left to the parser, which reports it in terms of what it expected there.
 */
function splitsAddress(tokens: readonly IToken[], i: number): boolean {
  const { Digits, Dot } = tokenTypes();
  const [before, previous, current, after] = [tokens[i - 2], tokens[i - 1], tokens[i], tokens[i + 1]];
  if (previous?.tokenType === Digits && current?.tokenType === Dot) return after?.tokenType === Digits;
  if (previous?.tokenType === Dot && current?.tokenType === Digits) return before?.tokenType === Digits;
  return false;
}

/** The first unexpected character, at `offset`, as a positioned reason. */
export function lexingFailure(text: string, offset: number): ValueError {
  const char = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  return new ValueError({
    code: 'UNEXPECTED_CHARACTER',
    offset,
    expected: 'a word, an IPAddress, +OK, -ERR, a Message or whitespace',
    found: quote(char),
    reason:
      char === '\0'
        ? 'NUL is allowed only at the end of a Message (MESSAGE, a space, the content, NUL)'
        : `unexpected character ${quote(char)}`,
  });
}

const SHOWN = 32;

/** A token or character as shown in messages: JSON-quoted (so control characters are visible), cut short. */
export function quote(text: string): string {
  return JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);
}
