/**
 * The conformance vectors of test/vectors/ run inside Chromium, through the codec's browser entry
 * as a bundler builds it (esbuild, platform browser): parse, bytes, generate and mirror, as in
 * test/vectors.test.ts. A break that only a browser shows (a Node.js API, a module that does not
 * load there) fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Packet } from '../../src/index.ts';
import type { Vector } from '../vector-inputs.ts';
import { chromiumMissing, launchChromium } from './chromium.ts';
import type { VectorOutcomes } from './vector-runner.ts';

const folder = join(import.meta.dirname, '..', 'vectors');
const vectors: (Vector & { file: string })[] = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .flatMap((file) =>
    (JSON.parse(readFileSync(join(folder, file), 'utf8')) as { vectors: Vector[] }).vectors.map((vector) => ({
      ...vector,
      file,
    })),
  );

/** What each check must give for `vector`, in the runner's terms. */
function expected(vector: Vector): VectorOutcomes {
  const parsed = vector.valid
    ? { packet: vector.packet as Packet }
    : { error: vector.error as Vector['error'] & {} };
  return {
    ...(vector.input === undefined ? {} : { parse: parsed }),
    bytes: parsed,
    ...(vector.valid
      ? { generate: { text: vector.canonical ?? (vector.input as string) }, mirror: parsed }
      : {}),
  };
}

describe.skipIf(chromiumMissing !== undefined)(
  `conformance vectors in Chromium ${chromiumMissing ?? ''}`,
  () => {
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const bundled = await build({
        entryPoints: [join(import.meta.dirname, 'vector-runner.ts')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2023',
        write: false,
        logLevel: 'silent',
      });
      browser = await launchChromium();
      page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.setContent(
        `<!DOCTYPE html><title>vectors</title><script>${bundled.outputFiles[0]?.text}</script>`,
      );
    });

    afterAll(async () => {
      await browser?.close();
    });

    test('every vector gives the same packet, error, canonical text and mirror as in Node.js', async () => {
      const outcomes = (await page.evaluate(`runVectors(${JSON.stringify(vectors)})`)) as VectorOutcomes[];
      expect(outcomes).toHaveLength(vectors.length);
      const differences = vectors.flatMap((vector, i) => {
        const want = expected(vector);
        const got = outcomes[i];
        return isDeepStrictEqual(got, want) ? [] : [{ vector: `${vector.file}: ${vector.name}`, want, got }];
      });
      expect(differences).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    test('the checks ran: every valid vector was generated and mirrored, every invalid one rejected', async () => {
      const outcomes = (await page.evaluate(`runVectors(${JSON.stringify(vectors)})`)) as VectorOutcomes[];
      const valid = vectors.filter((vector) => vector.valid).length;
      expect(valid).toBeGreaterThan(0);
      expect(outcomes.filter((outcome) => outcome.mirror !== undefined)).toHaveLength(valid);
      expect(outcomes.filter((outcome) => 'error' in outcome.bytes)).toHaveLength(vectors.length - valid);
    });
  },
);
