/**
 * The fast path: the parser generated from the grammar (generated/fast-parser.ts) over the
 * cursor, with no Chevrotain. It returns the packet, or undefined for anything it does not accept;
 * test/fast-parser.test.ts holds it to the Chevrotain path (same packet, or both reject).
 */
import type { Packet } from '../src/ast.ts';
import * as C from './cursor.ts';
import { Command, ServerReply } from './generated/fast-parser.ts';
import { ValueError } from './values.ts';
import { TOKEN_NAMES } from './vocabulary.ts';

const SERVERREPLY_ID = TOKEN_NAMES.indexOf('SERVERREPLY');

export function parseFast(text: string): Packet | undefined {
  try {
    C.reset(text);
    // Section III: the top level is either a Command or a ServerReply; SERVERREPLY tells them
    // apart, as in chevrotain-path.ts.
    const packet = C.peek() === SERVERREPLY_ID ? ServerReply() : Command();
    return C.atEnd() ? packet : undefined;
  } catch (error) {
    if (error === C.NOT_ACCEPTED || error instanceof ValueError) return undefined;
    throw error;
  }
}
