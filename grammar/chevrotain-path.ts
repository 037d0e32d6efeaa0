/**
 * The Chevrotain path: the tokenizer, the separator rule, then one shared Chevrotain parser
 * instance (Chevrotain's advice; setting `input` resets the parser). `parse` takes it only for
 * input the fast path did not accept, so every error is worded by the grammar itself; the parser
 * is built on the first such input. Every failure leaves as a ProtocolError positioned in the text.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Packet } from '../src/ast.ts';
import { ProtocolError } from '../src/errors.ts';
import { chevrotain } from './chevrotain.ts';
import { checkSeparators, lexingFailure, quote } from './lexer.ts';
import { createProtocolParser, type ProtocolParser } from './parser.ts';
import { tokenize } from './tokenizer.ts';
import { tokens as tokenTypes } from './tokens.ts';
import { ValueError } from './values.ts';

let shared: ProtocolParser | undefined;

function parser(): ProtocolParser {
  // Grammar validations run once in the test suite, not on every start-up.
  shared ??= createProtocolParser({ skipValidations: true });
  return shared;
}

/** Parses one packet from text with Chevrotain's parser; throws ProtocolError. */
export function parseWithChevrotain(text: string): Packet {
  let tokens: IToken[] = [];
  try {
    const tokenized = tokenize(text);
    tokens = tokenized.tokens;
    checkSeparators(tokens);
    if (tokenized.errorOffset === undefined) return parseTokens(text, tokens);
    throw earlierParseError(text, tokens) ?? lexingFailure(text, tokenized.errorOffset);
  } catch (error) {
    if (error instanceof ValueError) {
      const { details } = error;
      const rule = details.rule ?? ruleInterruptedAt(text, tokens, details.offset);
      throw new ProtocolError(rule === undefined ? details : { ...details, rule }, text);
    }
    throw error;
  }
}

/**
 * The rule a lexical error (a stray character, a missing or misplaced space) interrupts: the one
 * still wanting tokens when those before `offset` run out. Undefined when they make a whole packet
 * or fail before their end.
 */
function ruleInterruptedAt(text: string, tokens: readonly IToken[], offset: number): string | undefined {
  try {
    parseTokens(
      text,
      tokens.filter((token) => token.startOffset < offset),
    );
  } catch (error) {
    if (error instanceof ProtocolError && error.found === 'end of input') return error.rule;
  }
  return undefined;
}

/**
 * The error in the tokens before an unexpected character, if the parser finds one there: it is
 * earlier in the text, and says more. In `SEND alice hello<NUL>` the missing MESSAGE keyword at
 * `hello` is the mistake, not the NUL the tokenizer stops at. When the tokens before it parse, or
 * run out while the parser still wants more, the character itself is the error.
 */
function earlierParseError(text: string, tokens: IToken[]): ProtocolError | undefined {
  try {
    parseTokens(text, tokens);
  } catch (error) {
    if (error instanceof ProtocolError && error.found !== 'end of input') return error;
    if (!(error instanceof ProtocolError || error instanceof ValueError)) throw error;
    if (error instanceof ValueError) return new ProtocolError(error.details, text);
  }
  return undefined;
}

/**
 * The parser's part alone, on the tokens of `text` (the benchmark times it apart from the
 * tokenizer). Throws ProtocolError, or ValueError for a Byte, Port or Message out of shape.
 */
export function parseTokens(text: string, tokens: IToken[]): Packet {
  const p = parser();
  p.sourceText = text;
  p.input = tokens;
  // Section III: the top level is either a Command or a ServerReply; SERVERREPLY tells them apart.
  const packet = tokens[0]?.tokenType === tokenTypes().SERVERREPLY ? p.ServerReply() : p.Command();
  const error = p.errors[0];
  if (error) throw recognitionFailure(text, error, tokens[0]);
  return packet;
}

const PACKET_EXPECTED = 'a packet (SERVER, USERNODE or SERVERREPLY)';

function recognitionFailure(
  text: string,
  error: IRecognitionException,
  first: IToken | undefined,
): ProtocolError {
  const token: IToken = error.token;
  const atEnd = token.tokenType === chevrotain().EOF;
  const offset = atEnd ? text.length : token.startOffset;
  const found = atEnd ? 'end of input' : quote(token.image);
  // At the very first token the choice was between both top-level productions, not just Command's.
  const atFirst = first === undefined || token === first;
  const expected = atFirst ? PACKET_EXPECTED : error.message;
  // The innermost rule on Chevrotain's stack; none at the first token, where no rule is chosen yet.
  const rule = atFirst ? undefined : error.context.ruleStack.at(-1);
  if (error.name === 'NotAllInputParsedException') {
    return new ProtocolError(
      {
        code: 'TRAILING_INPUT',
        offset,
        expected,
        found,
        reason: `unexpected ${found} after a complete packet`,
        ...(rule === undefined ? {} : { rule }),
      },
      text,
    );
  }
  const reason = atEnd
    ? `expected ${expected} but the packet ended`
    : `expected ${expected} but found ${found}`;
  return new ProtocolError(
    { code: 'UNEXPECTED_TOKEN', offset, expected, found, reason, ...(rule === undefined ? {} : { rule }) },
    text,
  );
}
