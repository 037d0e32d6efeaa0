/**
 * Holds the benchmark baseline bench/baselines/handwritten.ts equal to `parse`: for every input,
 * both give the same packet (same JSON, so the same property order too) or both throw. Checked on
 * the conformance vectors, on generated packets and random edits of them, and on the benchmark
 * corpora when they exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseHandwritten } from '../bench/baselines/handwritten.ts';
import { ProtocolError, parse } from '../src/index.ts';
import { canonical, mutated, packet, variant } from './arbitraries.ts';

const runs = { numRuns: 3000 };

/** What a parser makes of the text: the packet as JSON, or `throws`. */
function outcome(parser: (text: string) => unknown, text: string): string {
  try {
    return JSON.stringify(parser(text));
  } catch (error) {
    // `parse` must throw nothing but ProtocolError; the baseline may throw any Error.
    if (parser === parse) expect(error).toBeInstanceOf(ProtocolError);
    else expect(error).toBeInstanceOf(Error);
    return 'throws';
  }
}

function expectAgreement(text: string): void {
  expect(outcome(parseHandwritten, text), JSON.stringify(text)).toBe(outcome(parse, text));
}

interface Vector {
  name: string;
  input?: string;
  inputHex?: string;
}

const vectorDirectory = new URL('./vectors/', import.meta.url);
const vectors = readdirSync(vectorDirectory)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .flatMap((file) =>
    (JSON.parse(readFileSync(new URL(file, vectorDirectory), 'utf8')).vectors as Vector[]).map((vector) => ({
      ...vector,
      file,
    })),
  )
  .filter((vector): vector is Vector & { file: string; input: string } => typeof vector.input === 'string');

describe('the hand-written baseline agrees with parse', () => {
  test('there are string vectors', () => {
    expect(vectors.length).toBeGreaterThan(100);
  });

  test.each(vectors.map((vector) => [`${vector.file}: ${vector.name}`, vector.input] as const))(
    'vector %s',
    (_name, input) => expectAgreement(input),
  );

  // Corners written out: position decides names, separators, numbers, messages, greedy lists.
  test.each([
    'USERNODE bob 1 . 2.3.4 5001 EXIT', // whitespace on both sides of a dot: refused by both
    'USERNODE bob 1 . 2 . 3 . 4 5001 EXIT',
    'USERNODE bob 1\n.\t2.3.4 5001 EXIT',
    'USERNODE bob 1 .2.3.4 5001 EXIT',
    'USERNODE bob 1. 2.3.4 5001 EXIT',
    'USERNODE bob 1.2.3.4 . 5001 EXIT',
    'USERNODE bob 001.02.3.004 0080 EXIT',
    'USERNODE bob 1.2.3.4 00080 EXIT',
    'USERNODE bob 1.2.3.4 65535 EXIT',
    'USERNODE bob 1.2.3.4 65536 EXIT',
    'USERNODE bob 1.2.3.4 70000 EXIT',
    'USERNODE bob 1.2.3.4 5001EXIT',
    'USERNODE bob 1.2.3.4a 5001 EXIT',
    'USERNODE bob 1.2.3.4 5001 SEND MESSAGE MESSAGE hi\0',
    'USERNODE bob 1.2.3.4 5001 SEND MESSAGE hi\0',
    'USERNODE bob 1.2.3.4 5001 SEND SERVER MESSAGE hi\0',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE\0',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE\thi\0',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGEhi\0',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE \ud800\0',
    'USERNODE bob 1.2.3.4 5001 EXIT\0',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OK USERNODE b 1.2.3.4 5001 FIND SEND MESSAGE x\0',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OK USERNODE b 1.2.3.4 5001 CSEND MESSAGE a\0SERVER s 1.2.3.4 5000',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OK SERVER b 1.2.3.5 8001 KNOWNUSERS USERNODE c 1.2.3.4 5001 USERNODE d 1.2.3.4 5002',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OKUSERNODE b 1.2.3.4 5001 EXIT',
    'SERVERREPLY SERVER a 1.2.3.4 5000 -ERROR USERNODE b 1.2.3.4 5001 EXIT',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OK SERVERREPLY SERVER a 1.2.3.4 5000 +OK USERNODE b 1.2.3.4 5001 EXIT',
    ' \r\n\tUSERNODE bob 1.2.3.4 5001 LIST \n',
    '',
    '   ',
  ])('corner %j', (input) => expectAgreement(input));
});

describe('agreement on generated text', () => {
  test.prop([packet.map(canonical)], runs)('canonical text', expectAgreement);

  test.prop([packet.chain(variant)], runs)('whitespace and leading-zero variants', expectAgreement);

  test.prop([mutated], runs)('random edits (arbitraries.ts `mutated`)', expectAgreement);

  // Character edits: delete, insert or replace one to four characters, drawn from those that
  // matter to the grammar (separators, dots, digits, NUL, letters, +, -) or any code unit.
  const character = fc.oneof(
    fc.constantFrom(' ', '\t', '\n', '\r', '.', '\0', '0', '9', '5', 'M', 'a', '+', '-', '_', '\u00a0'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const edit = fc.tuple(fc.constantFrom('delete', 'insert', 'replace'), fc.nat(), character);
  test.prop([packet.map(canonical), fc.array(edit, { minLength: 1, maxLength: 4 })], runs)(
    'character edits',
    (text, edits) => {
      let edited = text;
      for (const [kind, at, char] of edits) {
        const i = at % (edited.length + (kind === 'insert' ? 1 : 0) || 1);
        if (kind === 'delete') edited = edited.slice(0, i) + edited.slice(i + 1);
        else if (kind === 'insert') edited = edited.slice(0, i) + char + edited.slice(i);
        else edited = edited.slice(0, i) + char + edited.slice(i + 1);
      }
      expectAgreement(edited);
    },
  );

  test.prop(
    [packet.map(canonical).chain((text) => fc.tuple(fc.constant(text), fc.nat({ max: text.length })))],
    runs,
  )('every prefix of a valid packet', ([text, cut]) => expectAgreement(text.slice(0, cut)));
});

// The checked-in corpora the benchmark measures (bench/corpus/generate.ts).
describe('agreement on the benchmark corpora', () => {
  test.each(['mixed.json', 'large-replies.json'])('%s', (file) => {
    const texts: unknown = JSON.parse(
      readFileSync(new URL(`../bench/corpus/${file}`, import.meta.url), 'utf8'),
    );
    expect(Array.isArray(texts)).toBe(true);
    expect((texts as unknown[]).length).toBeGreaterThan(100);
    for (const text of texts as unknown[]) {
      expect(typeof text).toBe('string');
      expectAgreement(text as string);
    }
  });
});
