/**
 * Docs that cannot rot: `npm run check:docs` (part of `npm test`, after the build). Every ```ts
 * block in README.md and docs/*.md is type-checked against the sources, then run as a program of
 * its own against the built package, one at a time and with a time limit. A line of the form
 * `console.log(...); // text` must print `text`. A block whose fence reads ```ts no-run is only
 * type-checked.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUN_LIMIT_MS = 30_000;
const folder = '.tmp/docs-check';

interface Block {
  /** Where it is, as file:line of its opening fence. */
  where: string;
  file: string;
  code: string;
  run: boolean;
}

function blocks(path: string): Block[] {
  const found: Block[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```ts(?:\s+(no-run))?\s*$/.exec(lines[i] as string);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    const name = `${path.replace(/[/.]/g, '_')}_${start + 1}.ts`;
    // `export {}` makes each block a module: top-level await, and names of its own.
    found.push({
      where: `${path}:${start + 1}`,
      file: name,
      code: `${body.join('\n')}\nexport {};\n`,
      run: !fence[1],
    });
  }
  return found;
}

/** What `console.log(...); // text` lines promise to print. */
function promises(code: string): string[] {
  return code
    .split('\n')
    .flatMap((line) => /console\.log\(.*\);?\s*\/\/\s*(.+)$/.exec(line)?.[1]?.trim() ?? []);
}

const sources = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const all = sources.flatMap(blocks);
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
for (const block of all) writeFileSync(join(folder, block.file), block.code);
writeFileSync(
  join(folder, 'tsconfig.json'),
  JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }, null, 2),
);

let failed = 0;
const typecheck = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', folder], {
  encoding: 'utf8',
});
if (typecheck.status !== 0) {
  failed++;
  // Name the documents, not the copies.
  const byFile = new Map(all.map((b) => [b.file, b.where]));
  const report = `${typecheck.stdout}${typecheck.stderr}`.replace(
    /\.tmp\/docs-check\/(\S+?\.ts)\((\d+),(\d+)\)/g,
    (_, file: string, line: string, column: string) =>
      `${byFile.get(file) ?? file} (block line ${line}, column ${column})`,
  );
  console.log(`FAIL type-check\n${report}`);
} else {
  console.log(`ok   type-check: ${all.length} blocks from ${sources.length} documents`);
}

for (const block of all.filter((b) => b.run)) {
  const run = spawnSync(process.execPath, [join(folder, block.file)], {
    encoding: 'utf8',
    timeout: RUN_LIMIT_MS,
  });
  const missing = promises(block.code).filter((text) => !run.stdout.includes(text));
  if (run.status !== 0 || missing.length > 0) {
    failed++;
    const why =
      run.status !== 0
        ? `exit status ${run.status ?? run.signal}\n${run.stderr}`
        : `did not print: ${missing.map((m) => JSON.stringify(m)).join(', ')}\nprinted:\n${run.stdout}`;
    console.log(`FAIL ${block.where}: ${why}`);
  } else {
    console.log(`ok   ${block.where}: ran, printed what its comments say`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
