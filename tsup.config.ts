import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: the codec at `.`, the reference network at `./node`, the conformance kit at
    // `./conformance`.
    entry: {
      index: 'src/index.ts',
      'node/index': 'src/node/index.ts',
      'conformance/index': 'src/conformance/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    // Chevrotain stays a dependency, not bundled: one copy per application.
    external: ['chevrotain'],
    // grammar/chevrotain.ts loads it with createRequire(import.meta.url) on the first error; in
    // the CommonJS build import.meta.url comes from __filename.
    shims: true,
  },
  {
    // The codec for browsers (the `browser` export condition): Chevrotain imported up front.
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2023',
    platform: 'browser',
    external: ['chevrotain'],
  },
  {
    // The `chat-proto` command; ESM only, it is never required.
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    external: ['chevrotain'],
  },
]);
