/**
 * The codec's size in a browser bundle (`@chat/proto` alone, minified, ESM), with Chevrotain and
 * without. In the package Chevrotain is loaded only on the first error (grammar/chevrotain.ts);
 * a bundler cannot follow that `require`, so the bundle "with" swaps the loader for a static
 * import of Chevrotain, and the bundle "without" is the codec as it is: the fast path, with the
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
      entry: { codec: join(root, 'src', 'index.ts') },
      outDir,
      format: ['esm'],
      platform: 'browser',
      target: 'es2022',
      minify: true,
      noExternal: [/.*/],
      silent: true,
      esbuildPlugins: withChevrotain
        ? [
            {
              name: 'chevrotain-statically',
              setup(plugin) {
                plugin.onResolve({ filter: /\/chevrotain\.ts$/ }, () => ({
                  path: join(import.meta.dirname, 'chevrotain-static.ts'),
                }));
              },
            },
          ]
        : [],
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
