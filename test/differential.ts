/**
 * The fast path against the Chevrotain path, on one input: both accept it with the same packet,
 * or both reject it, and `parse` then throws exactly the Chevrotain path's ProtocolError. Used by
 * test/fast-parser.test.ts and by the long campaign of `npm run fuzz`.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseWithChevrotain } from '../grammar/chevrotain-path.ts';
import { parseFast } from '../grammar/fast-path.ts';
import { type Packet, ProtocolError, parse } from '../src/index.ts';

type Outcome = { packet: Packet } | { error: { code: string; offset: number; message: string } };

function outcome(run: () => Packet): Outcome {
  try {
    return { packet: run() };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { error: { code: error.code, offset: error.offset, message: error.message } };
  }
}

/** Throws, describing the difference, unless both paths agree on `text`. */
export function bothPathsAgree(text: string): void {
  const fast = parseFast(text);
  const reference = outcome(() => parseWithChevrotain(text));
  const shown = JSON.stringify(text);
  if (fast !== undefined && !isDeepStrictEqual({ packet: fast }, reference)) {
    throw new Error(
      `the fast path accepts ${shown} as ${JSON.stringify(fast)}; Chevrotain: ${JSON.stringify(reference)}`,
    );
  }
  if (fast === undefined && 'packet' in reference) {
    throw new Error(`the fast path rejects ${shown}, which Chevrotain accepts`);
  }
  // A string that is not well-formed UTF-16 is refused by parse before either path sees it.
  if (!text.isWellFormed()) return;
  const viaParse = outcome(() => parse(text));
  if (!isDeepStrictEqual(viaParse, reference)) {
    throw new Error(
      `parse(${shown}) gives ${JSON.stringify(viaParse)}; Chevrotain: ${JSON.stringify(reference)}`,
    );
  }
}
