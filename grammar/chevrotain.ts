/**
 * Chevrotain, loaded on first use. The fast path never needs it: only the first packet that fails
 * to parse (whose error Chevrotain's parser words) or a caller of the grammar itself loads it, so
 * start-up does not pay for it (docs/performance.md, cold start). `parse` is synchronous, so this
 * is a `require()`, which loads ES modules since Node.js 22.12; it shares the module cache with
 * `import`, so a program that also imports Chevrotain gets the same instance.
 */
import type * as Chevrotain from 'chevrotain';

let loaded: typeof Chevrotain | undefined;

export function chevrotain(): typeof Chevrotain {
  if (loaded === undefined) {
    const { createRequire } = process.getBuiltinModule('node:module');
    loaded = createRequire(import.meta.url)('chevrotain') as typeof Chevrotain;
  }
  return loaded;
}
