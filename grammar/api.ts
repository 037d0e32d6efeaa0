/**
 * Text in, packet out: the tokenizer, then one shared parser instance (Chevrotain's advice;
 * setting `input` resets the parser). Every failure leaves as a ProtocolError positioned in the text.
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Packet } from '../src/ast.ts';
import { ProtocolError } from '../src/errors.ts';
import { checkSeparators, lexingFailure, quote } from './lexer.ts';
import { ProtocolParser } from './parser.ts';
import { tokenize } from './tokenizer.ts';
import { SERVERREPLY } from './tokens.ts';
import { ValueError } from './values.ts';

// Grammar validations run once in the test suite, not on every start-up.
const parser = new ProtocolParser({ skipValidations: true });

/** Parses one packet from text; throws ProtocolError. */
export function parseText(text: string): Packet {
  try {
    const { tokens, errorOffset } = tokenize(text);
    if (errorOffset !== undefined) throw lexingFailure(text, errorOffset);
    checkSeparators(tokens);
    return parseTokens(text, tokens);
  } catch (error) {
    if (error instanceof ValueError) throw new ProtocolError(error.details, text);
    throw error;
  }
}

/**
 * The parser's part alone, on the tokens of `text` (the benchmark times it apart from the
 * tokenizer). Throws ProtocolError, or ValueError for a Byte, Port or Message out of shape.
 */
export function parseTokens(text: string, tokens: IToken[]): Packet {
  parser.input = tokens;
  // Section III: the top level is either a Command or a ServerReply; SERVERREPLY tells them apart.
  const packet = tokens[0]?.tokenType === SERVERREPLY ? parser.ServerReply() : parser.Command();
  const error = parser.errors[0];
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
  const atEnd = token.tokenType === EOF;
  const offset = atEnd ? text.length : token.startOffset;
  const found = atEnd ? 'end of input' : quote(token.image);
  // At the very first token the choice was between both top-level productions, not just Command's.
  const expected = first === undefined || token === first ? PACKET_EXPECTED : error.message;
  if (error.name === 'NotAllInputParsedException') {
    return new ProtocolError(
      {
        code: 'TRAILING_INPUT',
        offset,
        expected,
        found,
        reason: `unexpected ${found} after a complete packet`,
      },
      text,
    );
  }
  const reason = atEnd
    ? `expected ${expected} but the packet ended`
    : `expected ${expected} but found ${found}`;
  return new ProtocolError({ code: 'UNEXPECTED_TOKEN', offset, expected, found, reason }, text);
}
