/**
 * The layout's rules, held by the code itself: no import cycles (type-only imports included), the
 * codec never imports the network layer or the CLI, the network layer reads packets only through
 * the codec (never the grammar directly), and docs/architecture.md names only files that exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
}

const FILES = [...sources('src'), ...sources('grammar')];

/** Every relative module a file imports or re-exports, as a path from the root. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)];
  return specifiers.map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1] as string)));
}

const GRAPH = new Map(FILES.map((f) => [f, imports(f)]));

test('every relative import names a file that exists', () => {
  const missing = [...GRAPH].flatMap(([file, deps]) =>
    deps.filter((d) => !existsSync(join(ROOT, d))).map((d) => `${file} -> ${d}`),
  );
  expect(missing).toEqual([]);
});

test('there are no import cycles, type-only imports included', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const dep of GRAPH.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...path.slice(path.indexOf(dep)), dep].join(' -> '));
      else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (!state.has(file)) visit(file);
  expect(cycles).toEqual([]);
});

test('the codec never imports the network layer or the CLI', () => {
  const codec = FILES.filter((f) => !f.startsWith('src/node/') && !f.startsWith('src/cli/'));
  const crossing = codec.flatMap((f) =>
    (GRAPH.get(f) ?? [])
      .filter((d) => d.startsWith('src/node/') || d.startsWith('src/cli/'))
      .map((d) => `${f} -> ${d}`),
  );
  expect(crossing).toEqual([]);
});

test('the network layer never touches the grammar: it parses through the codec', () => {
  const network = FILES.filter((f) => f.startsWith('src/node/'));
  const crossing = network.flatMap((f) =>
    (GRAPH.get(f) ?? []).filter((d) => d.startsWith('grammar/')).map((d) => `${f} -> ${d}`),
  );
  expect(crossing).toEqual([]);
});

test('docs/architecture.md names only paths that exist', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const named = [...doc.matchAll(/`((?:src|grammar|test|docs|bench|scripts|bin|playground)\/[^`\s]*)`/g)].map(
    (m) => m[1] as string,
  );
  expect(named.length).toBeGreaterThan(20);
  expect(named.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
});

test('the playground reaches the codec only through its browser entry', () => {
  const page = sources('playground');
  expect(page.length).toBeGreaterThan(0);
  const reaching = page.flatMap((f) =>
    imports(f)
      .filter((d) => !d.startsWith('playground/') && d !== 'src/browser.ts')
      .map((d) => `${f} -> ${d}`),
  );
  expect(reaching).toEqual([]);
});

test('the interop implementation is independent of the reference: it uses only the codec', () => {
  const minimal = ['test/interop/minimal-server.ts', 'test/interop/minimal-user.ts'];
  const reaching = minimal.flatMap((f) =>
    imports(f)
      .filter((d) => d.startsWith('src/') && d !== 'src/index.ts')
      .map((d) => `${f} -> ${d}`),
  );
  expect(reaching).toEqual([]);
});

test('nothing under src/node/ reads the time or sets a timer but through the clock (clock.ts)', () => {
  const direct =
    /(^|[^.\w])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|clearImmediate)\(|\bDate\.now\(|\bperformance\.now\(/;
  const offenders = sources('src/node')
    .filter((file) => file !== join('src', 'node', 'clock.ts'))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${file}:${i + 1}` }))
        .filter(({ line }) => !line.startsWith('*') && !line.startsWith('//') && direct.test(line))
        .map(({ line, at }) => `${at}: ${line}`),
    );
  expect(offenders).toEqual([]);
});
