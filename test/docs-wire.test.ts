/**
 * The wire text the docs show is real: every line of a plain code block in the protocol reference
 * and the implementer's guide that is a packet (optionally after `from → to:`) parses, with `\0`
 * read as the NUL that ends a Message and a trailing `(comment)` set apart by spaces left out.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { safeParse } from '../src/index.ts';

const DOCS = ['docs/implementers.md', 'docs/protocol.md'];

/** Packet lines of the untyped code blocks of `file`, with their line numbers. */
function wireLines(file: string): { line: number; text: string }[] {
  const lines = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n');
  const found: { line: number; text: string }[] = [];
  let block: string | undefined; // the open block's language; '' for a plain one
  for (const [i, raw] of lines.entries()) {
    const fence = /^\s*```(\w*)/.exec(raw);
    if (fence) {
      block = block === undefined ? (fence[1] ?? '') : undefined;
      continue;
    }
    if (block !== '') continue;
    const text = raw
      .trim()
      .replace(/^\S+ → \S+:\s+/, '')
      .replace(/\s{2,}\(.*\)$/, '')
      .replaceAll('\\0', '\0');
    if (/^(SERVER|SERVERREPLY|USERNODE) /.test(text) && !text.includes('...'))
      found.push({ line: i + 1, text });
  }
  return found;
}

for (const file of DOCS) {
  test(`every packet shown in ${file} parses`, () => {
    const lines = wireLines(file);
    expect(lines.length).toBeGreaterThan(10);
    const broken = lines
      .map(({ line, text }) => ({ line, text, result: safeParse(text) }))
      .filter((l) => !l.result.ok)
      .map((l) => `${file}:${l.line}: ${l.result.ok ? '' : l.result.error.message}: ${l.text}`);
    expect(broken).toEqual([]);
  });
}
