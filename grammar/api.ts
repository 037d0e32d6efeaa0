/**
 * Text in, packet out: the fast path generated from the grammar first; for anything it does not
 * accept, the Chevrotain path, which throws the ProtocolError (or, were the fast path stricter
 * than the grammar somewhere, still returns the packet). See docs/performance.md.
 */
import type { Packet } from '../src/ast.ts';
import { parseWithChevrotain } from './chevrotain-path.ts';
import { parseFast } from './fast-path.ts';

/** Parses one packet from text; throws ProtocolError. */
export function parseText(text: string): Packet {
  return parseFast(text) ?? parseWithChevrotain(text);
}
