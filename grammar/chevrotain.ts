/**
 * Chevrotain, loaded on first use. The fast path never needs it: only the first packet that fails
 * to parse (whose error Chevrotain's parser words) or a caller of the grammar itself loads it, so
 * start-up does not pay for it (docs/performance.md, cold start). `parse` is synchronous, so this
 * is a `require()`, which loads ES modules since Node.js 22.12; it shares the module cache with
 * `import`, so a program that also imports Chevrotain gets the same instance.
 *
 * A browser has no synchronous require: there the browser entry (src/browser.ts) imports
 * Chevrotain up front and hands it over with `provideChevrotain`.
 */
import type * as Chevrotain from 'chevrotain';

let loaded: typeof Chevrotain | undefined;

/** Makes `module` the Chevrotain every later parse uses; for runtimes without `require`. */
export function provideChevrotain(module: typeof Chevrotain): void {
  loaded = module;
}

export function chevrotain(): typeof Chevrotain {
  if (loaded === undefined) {
    // Absent outside Node.js: reaching here in a browser means the bundle skipped src/browser.ts.
    const node = globalThis.process;
    if (node?.getBuiltinModule === undefined) {
      throw new Error(
        'Chevrotain is not loaded: outside Node.js, import @chat/proto through its "browser" export condition',
      );
    }
    const { createRequire } = node.getBuiltinModule('node:module');
    loaded = createRequire(import.meta.url)('chevrotain') as typeof Chevrotain;
  }
  return loaded;
}
