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
  try {
    const { tokens, errorOffset } = tokenize(text);
    try {
      checkSeparators(tokens);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      const before = readTokensBefore(text, tokens, error.details.offset);
      throw withRule(error, 'rule' in before ? before.rule : undefined);
    }
    if (errorOffset === undefined) return parseTokens(text, tokens);
    const before = readTokensBefore(text, tokens, errorOffset);
    if ('error' in before) throw before.error;
    throw withRule(lexingFailure(text, errorOffset), before.rule);
  } catch (error) {
    if (error instanceof ValueError) throw new ProtocolError(error.details, text);
    throw error;
  }
}

/**
 * What the tokens before a lexical error (a stray character, a missing or misplaced space) make
 * of the text. An error they hold: it is earlier in the text, and says more (in `SEND alice
 * hello<NUL>` the missing MESSAGE keyword at `hello` is the mistake, not the NUL the tokenizer
 * stops at). Or, when they run out while the parser still wants more, the rule that wanted it: the
 * rule the lexical error interrupts (none when they make a whole packet).
 */
function readTokensBefore(
  text: string,
  tokens: readonly IToken[],
  offset: number,
): { error: ProtocolError } | { rule: string | undefined } {
  try {
    parseTokens(
      text,
      tokens.filter((token) => token.startOffset < offset),
    );
  } catch (error) {
    if (error instanceof ValueError) return { error: new ProtocolError(error.details, text) };
    if (!(error instanceof ProtocolError)) throw error;
    return error.found === 'end of input' ? { rule: error.rule } : { error };
  }
  return { rule: undefined };
}

function withRule(error: ValueError, rule: string | undefined): ValueError {
  return rule === undefined ? error : new ValueError({ ...error.details, rule });
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
