/**
 * Builds docs/playground.html, one self-contained page (no network: it opens from the file
 * system): playground/page.html with the page script (playground/main.ts and the codec's browser
 * entry, Chevrotain included) bundled by esbuild and inlined, and the examples menu drawn from the
 * conformance vectors in test/vectors/. Part of `npm run build`; the page is not committed.
 *
 *   node scripts/build-playground.ts [out.html]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const playgroundPath = join(root, 'docs', 'playground.html');

interface VectorFile {
  vectors: { name: string; input?: string; valid: boolean }[];
}

/** Every vector with a text input (those given as raw bytes cannot be typed), file by file. */
export function playgroundExamples(): { group: string; name: string; valid: boolean; input: string }[] {
  const folder = join(root, 'test', 'vectors');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const { vectors } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as VectorFile;
      const group = file.replace(/\.json$/, '');
      return vectors.flatMap(({ name, input, valid }) =>
        input === undefined ? [] : [{ group, name, valid, input }],
      );
    });
}

/** The page's script: minified, for the browsers of the last few years. */
export async function bundlePlaygroundScript(): Promise<string> {
  const bundled = await build({
    entryPoints: [join(root, 'playground', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2023',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return bundled.outputFiles[0]?.text ?? '';
}

/** The page, ready to write. */
export async function renderPlayground(): Promise<string> {
  const script = await bundlePlaygroundScript();
  // esbuild escapes `</script` inside strings; JSON is made safe here the same way.
  const examples = JSON.stringify(playgroundExamples()).replaceAll('<', '\\u003c');
  if (/<\/script/i.test(script)) throw new Error('the bundled script contains </script');
  const page = readFileSync(join(root, 'playground', 'page.html'), 'utf8');
  // Functions as replacements: `$` in the script must stay as it is.
  return page
    .replace('id="examples-data">[]</script>', () => `id="examples-data">${examples}</script>`)
    .replace('<script>/* script */</script>', () => `<script>${script}</script>`);
}

if (import.meta.main) {
  const out = resolve(process.argv[2] ?? playgroundPath);
  const page = await renderPlayground();
  writeFileSync(out, page);
  console.log(`wrote ${out} (${(Buffer.byteLength(page) / 1024).toFixed(1)} kB)`);
}
