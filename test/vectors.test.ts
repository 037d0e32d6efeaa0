/**
 * Runs the language-neutral conformance vectors in test/vectors/*.json (format: test/vectors/README.md).
 * As in mqtt-packet, each valid vector is checked four ways: parse, generate, mirror, bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type Packet, ProtocolError, parse, safeParse, serialize } from '../src/index.ts';
import type { ExpectedError, Vector } from './vector-inputs.ts';

interface VectorFile {
  file: string;
  description: string;
  vectors: Vector[];
}

const directory = new URL('./vectors/', import.meta.url);
const files: VectorFile[] = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(new URL(file, directory), 'utf8')) }));

const bytesOf = (vector: Vector): Uint8Array =>
  vector.inputHex === undefined
    ? new TextEncoder().encode(vector.input)
    : new Uint8Array(Buffer.from(vector.inputHex, 'hex'));

/** The parse outcome in the vector's own terms, so string and byte input can be compared to it. */
function outcome(input: string | Uint8Array): { packet: Packet } | { error: ExpectedError } {
  try {
    return { packet: parse(input) };
  } catch (error) {
    // parse may throw nothing but ProtocolError; anything else fails the test here.
    expect(error).toBeInstanceOf(ProtocolError);
    const { code, offset, line, column } = error as ProtocolError;
    return { error: { code, offset, line, column } };
  }
}

const expected = (vector: Vector) =>
  vector.valid ? { packet: vector.packet } : { error: vector.error as ExpectedError };

describe('vector files are well-formed', () => {
  test('there are vector files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('$file', ({ description, vectors }) => {
    expect(description).toBeTypeOf('string');
    expect(Array.isArray(vectors) && vectors.length > 0).toBe(true);
    const names = new Set<string>();
    for (const vector of vectors) {
      const where = `vector ${JSON.stringify(vector.name)}`;
      expect(vector.name, where).toBeTypeOf('string');
      expect(names.has(vector.name), `${where}: duplicate name`).toBe(false);
      names.add(vector.name);
      expect(vector.valid, where).toBeTypeOf('boolean');
      // Exactly one input form; bytes only for what is not UTF-8 text, hence never valid.
      expect((vector.input === undefined) !== (vector.inputHex === undefined), `${where}: input`).toBe(true);
      if (vector.input !== undefined) expect(vector.input, where).toBeTypeOf('string');
      if (vector.inputHex !== undefined) {
        expect(vector.inputHex, where).toMatch(/^(?:[0-9a-f]{2})*$/);
        expect(vector.valid, `${where}: inputHex is for invalid UTF-8`).toBe(false);
      }
      if (vector.valid) {
        expect(vector.packet, where).toBeTypeOf('object');
        expect(vector.error, where).toBeUndefined();
        if (vector.canonical !== undefined) expect(vector.canonical, where).toBeTypeOf('string');
      } else {
        expect(vector.packet, where).toBeUndefined();
        expect(vector.canonical, where).toBeUndefined();
        expect(vector.error, where).toEqual({
          code: expect.any(String),
          offset: expect.any(Number),
          line: expect.any(Number),
          column: expect.any(Number),
        });
      }
    }
  });
});

describe.each(files)('$file', ({ vectors }) => {
  describe.each(vectors)('$name', (vector) => {
    const { input } = vector;

    if (input !== undefined) {
      test('parse', () => {
        expect(outcome(input)).toStrictEqual(expected(vector));
      });
    }

    test('bytes', () => {
      expect(outcome(bytesOf(vector))).toStrictEqual(expected(vector));
    });

    if (vector.valid) {
      const packet = vector.packet as Packet;
      test('generate', () => {
        expect(serialize(packet)).toBe(vector.canonical ?? input);
      });
      test('mirror', () => {
        expect(parse(serialize(packet))).toStrictEqual(packet);
      });
    } else {
      test('safeParse', () => {
        const result = safeParse(input ?? bytesOf(vector));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(vector.error?.code);
      });
    }
  });
});

/** Section IV's verbs; PREFERRED once per production, as the two forms are different commands. */
const VERBS = [
  ...['DISCOVER', 'KNOWNUSERS', 'KNOWNSERVERS', 'PREFERRED', 'JOINCHANNEL'].map((verb) => `SCommand ${verb}`),
  ...[
    'FIND',
    'PREFERRED',
    'CREATEROOM',
    'JOINROOM',
    'LEAVEROOM',
    'ULIST',
    'LISTROOMS',
    'CSEND',
    'EXIT',
    'ALIAS',
    'REMOVE',
    'SEND',
    'LIST',
    'SETALIAS',
  ].map((verb) => `UCommand ${verb}`),
];

test('every verb of Section IV appears in a valid vector', () => {
  const seen = new Set<string>();
  for (const { vectors } of files) {
    for (const { valid, packet } of vectors) {
      if (!valid || packet === undefined) continue;
      // A ServerReply's command is a Command too.
      const command = packet.kind === 'ServerReply' ? packet.command : packet;
      const production = command.kind === 'ServerCommand' ? 'SCommand' : 'UCommand';
      seen.add(`${production} ${command.command.verb}`);
    }
  }
  expect(VERBS.filter((verb) => !seen.has(verb))).toEqual([]);
});
