/** The terminal report: one line per case, the failures' observations, a summary by section. */
import type { CaseInfo, CaseResult, Outcome } from '../case.ts';
import { bySection, type ConformanceReport, levelName, OUTCOMES, runPassed } from './report.ts';

const COLOURS: Record<Outcome, string> = {
  Pass: '\x1b[32m',
  'Non-Strict': '\x1b[33m',
  Fail: '\x1b[31m',
  Info: '\x1b[36m',
  Missing: '\x1b[90m',
};
const RESET = '\x1b[0m';

/** Writes the report as lines; `colour` only for a person at a terminal. */
export function terminalReport(report: ConformanceReport, colour: boolean): string[] {
  const paint = (outcome: Outcome, text: string) => (colour ? `${COLOURS[outcome]}${text}${RESET}` : text);
  const lines: string[] = [];
  const idWidth = Math.max(...report.results.map((r) => r.id.length), 10);
  for (const r of report.results) lines.push(caseLine(r, idWidth, paint));
  const troubled = report.results.filter((r) => r.outcome === 'Fail' || r.outcome === 'Non-Strict');
  if (troubled.length > 0) {
    lines.push('');
    for (const r of troubled) {
      lines.push(`${paint(r.outcome, r.outcome)} ${r.id}: ${r.title}`);
      lines.push(`  expected: ${r.expectation}`);
      for (const o of r.observed) lines.push(`  observed: ${o}`);
    }
  }
  lines.push('', summaryTable(report.results).join('\n'));
  const verdict = runPassed(report) ? 'no MUST case failed' : 'FAILED';
  lines.push(
    '',
    `${report.results.length} cases against ${report.target} in ${(report.durationMs / 1000).toFixed(1)} s${report.strict ? ' (strict)' : ''}: ${verdict}`,
  );
  return lines;
}

function caseLine(r: CaseResult, idWidth: number, paint: (o: Outcome, t: string) => string): string {
  const outcome = paint(r.outcome, r.outcome.padEnd(10));
  return `${outcome} ${levelName(r.level).padEnd(10)} ${r.id.padEnd(idWidth)}  ${r.title}`;
}

/** Outcomes by section as a text table. */
export function summaryTable(results: readonly CaseResult[]): string[] {
  const table = bySection(results);
  const head = ['section'.padEnd(8), ...OUTCOMES.map((o) => o.padStart(10))].join(' ');
  const rows = [...table].map(([section, row]) =>
    [section.padEnd(8), ...OUTCOMES.map((o) => String(row[o]).padStart(10))].join(' '),
  );
  const total = [
    'total'.padEnd(8),
    ...OUTCOMES.map((o) => String(results.filter((r) => r.outcome === o).length).padStart(10)),
  ].join(' ');
  return [head, ...rows, total];
}

/** `--dryrun`: each case's id, level and title. */
export function dryRunLines(cases: readonly CaseInfo[]): string[] {
  const idWidth = Math.max(...cases.map((c) => c.id.length), 10);
  return cases.map((c) => `${c.id.padEnd(idWidth)}  ${levelName(c.level).padEnd(10)} ${c.title}`);
}
