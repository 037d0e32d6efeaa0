/**
 * The tokenizer that feeds the Chevrotain parser: scanner.ts's tokens as Chevrotain tokens. It
 * yields exactly the tokens Chevrotain's Lexer yields for the definitions of tokens.ts
 * (test/tokenizer.test.ts holds the two equal on the corpora, the conformance vectors and random
 * input) at several times its speed: Chevrotain's lexer tries token patterns one after another at
 * each offset, where one look at a character's class decides here (see docs/performance.md).
 * The first unexpected character stops it, as Chevrotain's first lexing error would.
 */
import type { IToken, TokenType } from 'chevrotain';
import { scannedEnd, scanToken, skipWhitespace } from './scanner.ts';
import { tokens as tokenTypes } from './tokens.ts';
import { NAME_TAKING, UNEXPECTED_ID } from './vocabulary.ts';

/** The outcome: the tokens, and the offset of the first unexpected character, if any. */
export interface Tokenized {
  tokens: IToken[];
  errorOffset: number | undefined;
}

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
  const types = tokenTypes().all;
  const tokens: IToken[] = [];
  let run = 0;
  for (let i = skipWhitespace(text, 0); i < text.length; i = skipWhitespace(text, i)) {
    const id = scanToken(text, i, run);
    if (id === UNEXPECTED_ID) return { tokens, errorOffset: i };
    const end = scannedEnd;
    tokens.push(token(types[id] as TokenType, text.slice(i, end), i));
    run = NAME_TAKING[id] === 1 ? run + 1 : 0;
    i = end;
  }
  return { tokens, errorOffset: undefined };
}
