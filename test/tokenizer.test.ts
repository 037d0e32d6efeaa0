/**
 * The hand-written tokenizer that feeds the parser must yield exactly what Chevrotain's Lexer
 * yields for the token definitions of grammar/tokens.ts: the same tokens up to the first
 * unexpected character, and that character at the same offset.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { createLexer } from '../grammar/lexer.ts';
import { tokenize } from '../grammar/tokenizer.ts';
import { canonical, packet } from './arbitraries.ts';
import { vectorInputs } from './vector-inputs.ts';

const lexer = createLexer();

function both(text: string) {
  const reference = lexer.tokenize(text);
  const errorOffset = reference.errors[0]?.offset;
  const shown = (tokens: { tokenType: { name: string }; image: string; startOffset: number }[]) =>
    tokens
      .filter((t) => errorOffset === undefined || t.startOffset < errorOffset)
      .map((t) => `${t.tokenType.name}@${t.startOffset}:${JSON.stringify(t.image)}`);
  const ours = tokenize(text);
  return {
    ours: { tokens: shown(ours.tokens), errorOffset: ours.errorOffset },
    chevrotain: { tokens: shown(reference.tokens), errorOffset },
  };
}

function agrees(text: string): void {
  const { ours, chevrotain } = both(text);
  expect(ours, JSON.stringify(text)).toEqual(chevrotain);
}

const corpusFolder = join(import.meta.dirname, '..', 'bench', 'corpus');

describe('the tokenizer agrees with Chevrotain’s Lexer', () => {
  test('on every packet of the benchmark corpora', () => {
    for (const file of ['mixed.json', 'large-replies.json']) {
      const packets: string[] = JSON.parse(readFileSync(join(corpusFolder, file), 'utf8'));
      expect(packets.length).toBeGreaterThan(100);
      for (const text of packets) agrees(text);
    }
  });

  test('on every text conformance vector, valid or not', () => {
    const inputs = vectorInputs();
    expect(inputs.length).toBeGreaterThan(150);
    for (const input of inputs) agrees(input);
  });

  test('on the keyword corners', () => {
    for (const text of [
      'SERVER2 SERVERREPLYX SERVERREPL LISTROOMS LISTROOM LIST 123abc 007',
      'USERNODE FIND 1.2.3.4 5001 FIND SERVER',
      'USERNODE bob 1.2.3.4 5001 SEND MESSAGE MESSAGE hi\0',
      'USERNODE a 1.2.3.4 5001 FIND SEND MESSAGE x\0',
      'MESSAGEhi\0 MESSAGE\0MESSAGE \0 MESSAGE',
      '+OK+OK-ERR-ER +O . .. 1 .2.3.4',
      ' \t\r\nSERVER a 1.2.3.4 5000 DISCOVER\0 b',
      'é SERVER',
      'SERVER \u{1F600}',
      '',
    ]) {
      agrees(text);
    }
  });

  const alphabet = fc.constantFrom(
    ...'SERVERUSERNODEMESSAGEFINDLIST+OK-ERR.0123456789 \t\r\n\0abcé'.split(''),
    'MESSAGE ',
    'SERVER ',
    'FIND ',
    'SEND ',
  );
  test.prop([fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''))], { numRuns: 3000 })(
    'on random text over the protocol’s characters',
    (text) => {
      agrees(text);
    },
  );

  test.prop([packet.map(canonical), fc.nat(), fc.string({ maxLength: 3 })], { numRuns: 2000 })(
    'on valid packets with a random edit',
    (text, at, insert) => {
      const i = at % (text.length + 1);
      agrees(text.slice(0, i) + insert + text.slice(i + 1));
    },
  );
});
