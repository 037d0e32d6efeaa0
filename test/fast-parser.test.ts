/**
 * The generated fast parser is current, and equivalent to the Chevrotain parser it was compiled
 * from: the same packet for every input either accepts, and `parse`'s error exactly the
 * Chevrotain path's for every other. `npm run fuzz` runs the same comparison a million times.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fastParserPath, generateFastParser } from '../scripts/generate-parser.ts';
import { canonical, isAmbiguous, mutated, packet, spliced, variant } from './arbitraries.ts';
import { bothPathsAgree } from './differential.ts';
import { vectorInputs } from './vector-inputs.ts';

const runs = { numRuns: 2000 };
const corpusFolder = join(import.meta.dirname, '..', 'bench', 'corpus');

describe('the generated fast parser', () => {
  test('is generated from the current grammar (npm run generate)', () => {
    expect(readFileSync(fastParserPath, 'utf8')).toBe(generateFastParser());
  });

  test.each([
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OKSERVER b 1.2.3.4 5000 DISCOVER x',
    'SERVERREPLY SERVER a 1.2.3.4 5000 -ERRSERVER b 1.2.3.4 5000 DISCOVER x',
    'SERVERREPLY SERVER a 1.2.3.4 5000+OK SERVER b 1.2.3.4 5000 DISCOVER x',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE hi\0USERNODE',
    'SERVERREPLY SERVER a 1.2.3.4 5000 +OK USERNODE b 1.2.3.4 5001 LIST MESSAGE a\0MESSAGE b\0',
    'USERNODE bob 1.2.3.4x 5001 LIST',
    'USERNODE bob 1.2.3 .4 5001 LIST',
    'USERNODE bob 1.2.3. 4 5001 LIST',
    'USERNODE bob 1.2.3.4.5 5001 LIST',
    'USERNODE bob 1.2.3.4 5001 LISTx',
    'USERNODE bob 1.2.3.4 5001LIST',
    'USERNODEbob 1.2.3.4 5001 LIST',
    'USERNODE MESSAGE 1.2.3.4 5001 SEND MESSAGE MESSAGE hi\0',
    'USERNODE bob 1.2.3.4 5001 SEND SEND MESSAGE hi\0',
    'USERNODE bob 1.2.3.4 5001 FIND MESSAGE',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGE',
    'USERNODE bob 1.2.3.4 5001 CSEND MESSAGEhi\0',
  ])('agrees on the near miss %j', (text) => bothPathsAgree(text));

  test('agrees with the Chevrotain path on every text conformance vector', () => {
    const inputs = vectorInputs();
    expect(inputs.length).toBeGreaterThan(150);
    for (const input of inputs) bothPathsAgree(input);
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
  test.prop([spliced], runs)(
    'agrees on packets put together again with other separators, none included',
    bothPathsAgree,
  );
  test.prop(
    [packet.map(canonical).chain((text) => fc.tuple(fc.constant(text), fc.nat({ max: text.length })))],
    runs,
  )('agrees on every prefix of a packet', ([text, cut]) => bothPathsAgree(text.slice(0, cut)));
  test.prop([fc.string({ unit: 'binary', maxLength: 200 })], runs)('agrees on random text', bothPathsAgree);
});
