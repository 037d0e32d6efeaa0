import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createLexer } from '../grammar/lexer.ts';
import { createProtocolParser } from '../grammar/parser.ts';
import { diagramImagePath, diagramPath, renderDiagram, renderDiagramImage } from '../scripts/diagram.ts';

// The productions of Section IV, in its order.
const SECTION_IV = [
  'Command',
  'Server',
  'SCommand',
  'UserNode',
  'UCommand',
  'ServerReply',
  'Status',
  'Alias',
  'IPAddress',
  'Byte',
  'Port',
  'RoomName',
  'Message',
];

describe('grammar', () => {
  // The shipped instances skip Chevrotain's validations for start-up time; they run here instead.
  test('the parser passes all of Chevrotain grammar validations', () => {
    expect(() => createProtocolParser({ skipValidations: false })).not.toThrow();
  });

  test('the lexer passes its validations, with the first-character optimization on', () => {
    const lexer = createLexer({ skipValidations: false });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  test('has one rule per Section IV production, named exactly as there', () => {
    const rules = Object.keys(createProtocolParser().getGAstProductions());
    expect(rules).toEqual(SECTION_IV);
  });

  test('the committed railroad diagram is generated from the current parser (npm run diagram)', () => {
    expect(readFileSync(diagramPath, 'utf8')).toBe(renderDiagram());
  });

  test('the committed railroad image is generated from the current parser, one diagram per rule', () => {
    const image = renderDiagramImage();
    expect(readFileSync(diagramImagePath, 'utf8')).toBe(image);
    const rules = [...image.matchAll(/<text class="rule" [^>]*>(\w+)<\/text>/g)].map((m) => m[1]);
    expect(rules).toEqual(SECTION_IV);
    expect(image.match(/<svg [^>]*class="railroad-diagram"/g)).toHaveLength(SECTION_IV.length);
  });

  test('the railroad diagram loads nothing from the network', () => {
    expect(renderDiagram()).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });
});
