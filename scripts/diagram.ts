/**
 * Draws the railroad (syntax) diagram of Section IV from the parser itself: docs/grammar.html, an
 * interactive page, and docs/grammar.svg, one image of every rule (the README shows it).
 * Chevrotain's page loads its drawing scripts from a CDN; here they are inlined from the installed
 * package so the page works offline, and the same scripts draw the image without a browser.
 * `npm run diagram` rewrites both; a test fails when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { createProtocolParser } from '../grammar/parser.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const diagramPath = join(root, 'docs', 'grammar.html');
export const diagramImagePath = join(root, 'docs', 'grammar.svg');
// The package exports only its entry point (lib/src/api.js); its diagrams/ folder sits two levels up.
const diagrams = fileURLToPath(new URL('../../diagrams/', import.meta.resolve('chevrotain')));
const read = (file: string) => readFileSync(join(diagrams, file), 'utf8');

/** The page's HTML, with every external script and stylesheet inlined. */
export function renderDiagram(): string {
  const grammar = createProtocolParser().getSerializedGastProductions();
  const html = createSyntaxDiagramsCode(grammar, { resourceBase: 'RESOURCE/', css: 'RESOURCE/diagrams.css' });
  return html
    .replace(
      /<link rel='stylesheet' href='RESOURCE\/([^']+)'>/,
      (_, file: string) => `<style>\n${read(file)}</style>`,
    )
    .replace(
      /<script src='RESOURCE\/([^']+)'><\/script>/g,
      (_, file: string) => `<script>\n${read(file)}</script>`,
    )
    .replace('<!DOCTYPE html>', '<!DOCTYPE html>\n<title>@chat/proto: Section IV grammar</title>')
    .concat(RULE_ANCHORS);
}

/**
 * Each rule's diagram answers to its name in the address (grammar.html#Port: the playground links
 * the rule an error was read in). The diagrams are drawn by script, after the browser looked for
 * the fragment, so it is looked for again here.
 */
const RULE_ANCHORS = `
<script>
    for (const header of document.querySelectorAll('.diagramHeader')) header.id = header.textContent;
    const rule = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (rule) rule.scrollIntoView();
</script>
`;

/** Runs one of Chevrotain's UMD drawing scripts as CommonJS, in a context of its own. */
function loadScript(file: string, require: (path: string) => unknown): unknown {
  const module = { exports: {} };
  vm.runInNewContext(read(file), { module, exports: module.exports, require });
  return module.exports;
}

/** Every rule's diagram, one under another, in a single standalone SVG image. */
export function renderDiagramImage(): string {
  const railroad = loadScript('vendor/railroad-diagrams.js', (path) => {
    throw new Error(`railroad-diagrams.js asked for ${path}`);
  });
  const builder = loadScript('src/diagrams_builder.js', () => railroad) as {
    buildSyntaxDiagramsText(rules: unknown): string;
  };
  const html = builder.buildSyntaxDiagramsText(createProtocolParser().getSerializedGastProductions());
  const parts = [
    ...html.matchAll(
      /<h2 class="diagramHeader">(\w+)<\/h2>(<svg[^>]*width="(\d+)" height="(\d+)"[\s\S]*?<\/svg>)/g,
    ),
  ];
  const heading = 28;
  let y = 10;
  let width = 0;
  const body: string[] = [];
  for (const [, name, svg, w, h] of parts) {
    body.push(`<text class="rule" x="10" y="${y + 20}">${name}</text>`);
    // The page's interactive attributes mean nothing in an image.
    const clean = (svg as string)
      .replace(/ (occurrenceIdx|topRuleName|ruleName)="[^"]*"/g, '')
      .replace('<svg', `<svg x="0" y="${y + heading}"`);
    body.push(clean);
    y += heading + Number(h) + 10;
    width = Math.max(width, Number(w));
  }
  const css = read('diagrams.css').replace(/\.diagramHeader[\s\S]*$/, '');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 20}" height="${y}" viewBox="0 0 ${width + 20} ${y}">`,
    `<title>@chat/proto: the Section IV grammar, rule by rule</title>`,
    `<style>\n${css}text.rule { font: bold 18px monospace; }\n</style>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

if (import.meta.main) {
  writeFileSync(diagramPath, renderDiagram());
  writeFileSync(diagramImagePath, renderDiagramImage());
  console.log(`wrote ${diagramPath} and ${diagramImagePath}`);
}
