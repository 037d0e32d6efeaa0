/**
 * Draws the railroad (syntax) diagram of Section IV from the parser itself into docs/grammar.html.
 * Chevrotain's page loads its drawing scripts from a CDN; here they are inlined from the installed
 * package so the page works offline. `npm run diagram` rewrites it; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { ProtocolParser } from '../grammar/parser.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const diagramPath = join(root, 'docs', 'grammar.html');

/** The page's HTML, with every external script and stylesheet inlined. */
export function renderDiagram(): string {
  // The package exports only its entry point (lib/src/api.js); its diagrams/ folder sits two levels up.
  const diagrams = fileURLToPath(new URL('../../diagrams/', import.meta.resolve('chevrotain')));
  const grammar = new ProtocolParser().getSerializedGastProductions();
  const html = createSyntaxDiagramsCode(grammar, { resourceBase: 'RESOURCE/', css: 'RESOURCE/diagrams.css' });
  const read = (file: string) => readFileSync(join(diagrams, file), 'utf8');
  return html
    .replace(
      /<link rel='stylesheet' href='RESOURCE\/([^']+)'>/,
      (_, file: string) => `<style>\n${read(file)}</style>`,
    )
    .replace(
      /<script src='RESOURCE\/([^']+)'><\/script>/g,
      (_, file: string) => `<script>\n${read(file)}</script>`,
    )
    .replace('<!DOCTYPE html>', '<!DOCTYPE html>\n<title>@chat/proto: Section IV grammar</title>');
}

if (import.meta.main) {
  writeFileSync(diagramPath, renderDiagram());
  console.log(`wrote ${diagramPath}`);
}
