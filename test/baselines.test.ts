/**
 * The serializer baseline of the benchmarks writes what `serialize` writes, so the two are timed
 * doing the same work but for validation (bench/codec.ts).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { templateSerialize } from '../bench/baselines/template.ts';
import { parse, serialize } from '../src/index.ts';

test.each(['mixed.json', 'large-replies.json'])(
  'the template baseline writes what serialize writes: %s',
  (file) => {
    const texts: string[] = JSON.parse(
      readFileSync(new URL(`../bench/corpus/${file}`, import.meta.url), 'utf8'),
    );
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      const packet = parse(text);
      expect(templateSerialize(packet)).toBe(serialize(packet));
    }
  },
);
