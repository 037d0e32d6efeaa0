/**
 * Every case quotes the words it checks: each quotation (its parts between `...` elisions) is
 * found, word for word, in the specification or in docs/protocol.md, so the cases cannot drift
 * from the texts they cite.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { serverCases, userCases } from '../../src/conformance/index.ts';

/** Text without Markdown's code and emphasis marks, `\0` marks, or line breaks. */
const plain = (text: string) => text.replace(/[`*]/g, '').replaceAll('\\0', '').replace(/\s+/g, ' ').trim();

const read = (path: string) => plain(readFileSync(new URL(path, import.meta.url), 'utf8'));
const SOURCES = `${read('../../../shared/spec/protocol.md')} ${read('../../docs/protocol.md')}`;

test('every quotation in a case is found in the specification or docs/protocol.md', () => {
  const cases = [...serverCases(), ...userCases()];
  const missing = cases.flatMap((c) =>
    [...c.words.matchAll(/"([^"]+)"/g)]
      .flatMap((m) => (m[1] as string).split(/\.\.\.|…/))
      .map(plain)
      .filter((part) => part.length > 3 && !SOURCES.includes(part))
      .map((part) => `${c.id}: ${part}`),
  );
  expect(cases.every((c) => /"[^"]+"/.test(c.words))).toBe(true);
  expect(missing).toEqual([]);
});
