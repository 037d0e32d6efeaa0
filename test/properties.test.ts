import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ProtocolError, parse, SerializeError, serialize } from '../src/index.ts';
import { canonical, isAmbiguous, mutated, packet, variant } from './arbitraries.ts';

// A few thousand cases per run in the suite; `npm run fuzz` runs the long campaign.
const runs = { numRuns: 2000 };

/** Parsing must end in a packet or a ProtocolError: any other exception fails the property. */
function parsesOrRejects(input: string | Uint8Array): void {
  try {
    parse(input);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

describe('round trips', () => {
  test.prop([packet], runs)(
    'parse(serialize(p)) deep-equals p for every serializable packet',
    ({ value }) => {
      if (isAmbiguous(value)) {
        expect(() => serialize(value)).toThrow(SerializeError);
        return;
      }
      expect(parse(serialize(value))).toEqual(value);
    },
  );

  test.prop([packet.filter((w) => !isAmbiguous(w.value))], runs)(
    'serialize writes the canonical text, and serialize(parse(s)) === s for it',
    (written) => {
      const text = canonical(written);
      expect(serialize(written.value)).toBe(text);
      expect(serialize(parse(text))).toBe(text);
    },
  );

  test.prop(
    [packet.filter((w) => !isAmbiguous(w.value)).chain((w) => fc.tuple(fc.constant(w), variant(w)))],
    runs,
  )('whitespace and leading-zero variants parse to the same packet', ([written, text]) => {
    expect(parse(text)).toEqual(written.value);
  });

  test.prop([packet.filter((w) => !isAmbiguous(w.value))], runs)(
    'UTF-8 bytes parse like the text',
    (written) => {
      const text = canonical(written);
      expect(parse(new TextEncoder().encode(text))).toEqual(parse(text));
    },
  );
});

describe('any input gives a packet or a ProtocolError', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 300 })], runs)('random text', parsesOrRejects);
  test.prop([fc.uint8Array({ maxLength: 300 })], runs)('random bytes', parsesOrRejects);
  test.prop([mutated], runs)('valid packets with random edits', parsesOrRejects);
  test.prop(
    [packet.map(canonical).chain((text) => fc.tuple(fc.constant(text), fc.nat({ max: text.length })))],
    runs,
  )('every prefix of a valid packet', ([text, cut]) => parsesOrRejects(text.slice(0, cut)));
});
