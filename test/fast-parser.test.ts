/**
 * The generated fast parser is current, and equivalent to the Chevrotain parser it was compiled
 * from: the same packet for every input either accepts, and `parse`'s error exactly the
 * Chevrotain path's for every other. `npm run fuzz` runs the same comparison a million times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fastParserPath, generateFastParser } from '../scripts/generate-parser.ts';
import { canonical, isAmbiguous, mutated, packet, variant } from './arbitraries.ts';
import { bothPathsAgree } from './differential.ts';

const runs = { numRuns: 2000 };
const corpusFolder = join(import.meta.dirname, '..', 'bench', 'corpus');
const vectorFolder = join(import.meta.dirname, 'vectors');

describe('the generated fast parser', () => {
  test('is generated from the current grammar (npm run generate)', () => {
    expect(readFileSync(fastParserPath, 'utf8')).toBe(generateFastParser());
  });

  test('agrees with the Chevrotain path on every text conformance vector', () => {
    let count = 0;
    for (const file of readdirSync(vectorFolder).filter((f) => f.endsWith('.json'))) {
      const { vectors } = JSON.parse(readFileSync(join(vectorFolder, file), 'utf8')) as {
        vectors: { input?: string }[];
      };
      for (const { input } of vectors) {
        if (input === undefined) continue;
        bothPathsAgree(input);
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  test('agrees with the Chevrotain path on every packet of the benchmark corpora', () => {
    for (const file of ['mixed.json', 'large-replies.json']) {
      const packets: string[] = JSON.parse(readFileSync(join(corpusFolder, file), 'utf8'));
      expect(packets.length).toBeGreaterThan(100);
      for (const text of packets) bothPathsAgree(text);
    }
  });

  test.prop([packet.map(canonical)], runs)('agrees on generated packets', bothPathsAgree);
  test.prop([packet.filter((w) => !isAmbiguous(w.value)).chain(variant)], runs)(
    'agrees on the same packets written with other whitespace and forms',
    bothPathsAgree,
  );
  test.prop([mutated], runs)('agrees on packets with random edits', bothPathsAgree);
  test.prop(
    [packet.map(canonical).chain((text) => fc.tuple(fc.constant(text), fc.nat({ max: text.length })))],
    runs,
  )('agrees on every prefix of a packet', ([text, cut]) => bothPathsAgree(text.slice(0, cut)));
  test.prop([fc.string({ unit: 'binary', maxLength: 200 })], runs)('agrees on random text', bothPathsAgree);
});
