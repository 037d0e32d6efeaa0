/**
 * The codec's size in a browser bundle (minified, ESM), with Chevrotain and without. In Node.js
 * Chevrotain is loaded only on the first error (grammar/chevrotain.ts); a browser cannot do that,
 * so the browser entry (src/browser.ts, the package's `browser` condition) imports it up front:
 * that is the bundle "with". The bundle "without" is the main entry, the fast path with the
 * Chevrotain path's own code but not Chevrotain.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'tsup';

const root = join(import.meta.dirname, '..', '..');

export interface BundleSize {
  minified: number;
  gzip: number;
}

async function bundle(withChevrotain: boolean): Promise<BundleSize> {
  const outDir = mkdtempSync(join(tmpdir(), 'chat-proto-bundle-'));
  try {
    await build({
      config: false,
      entry: { codec: join(root, 'src', withChevrotain ? 'browser.ts' : 'index.ts') },
      outDir,
      format: ['esm'],
      platform: 'browser',
      target: 'es2022',
      minify: true,
      noExternal: [/.*/],
      silent: true,
    });
    const code = readFileSync(join(outDir, 'codec.js'));
    return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function bundleSizes(): Promise<{ withChevrotain: BundleSize; withoutChevrotain: BundleSize }> {
  return { withChevrotain: await bundle(true), withoutChevrotain: await bundle(false) };
}
