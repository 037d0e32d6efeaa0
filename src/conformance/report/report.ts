/** A run's report: what every reporter (terminal, JSON, JUnit, HTML) is written from. */
import { type CaseResult, LEVEL_NAMES, type Level, type Outcome } from '../case.ts';

/** Everything a run found. */
export interface ConformanceReport {
  /** `server` (the kit played user nodes and servers) or `user` (it played the server). */
  mode: 'server' | 'user';
  /** What was tested: `IP:PORT`, or the user node's command line. */
  target: string;
  /** Whether Non-Strict failures counted as failures. */
  strict: boolean;
  /** ISO 8601 time the run started. */
  startedAt: string;
  /** How long the whole run took, in ms. */
  durationMs: number;
  /** Every case run, in the order of the case list. */
  results: CaseResult[];
}

/** Outcomes in the order the reports show them. */
export const OUTCOMES: readonly Outcome[] = ['Pass', 'Non-Strict', 'Fail', 'Info', 'Missing'];
export const LEVELS: readonly Level[] = ['MUST', 'NON_STRICT', 'INFO'];

/** Whether the run passed: no case failed (a MUST, or a Non-Strict one under `--strict`). */
export function runPassed(report: ConformanceReport): boolean {
  return report.results.every((r) => r.outcome !== 'Fail');
}

/** Count of results per section, then per outcome. */
export function bySection(results: readonly CaseResult[]): Map<string, Record<Outcome, number>> {
  const table = new Map<string, Record<Outcome, number>>();
  for (const r of results) {
    let row = table.get(r.section);
    if (!row) {
      row = { Pass: 0, 'Non-Strict': 0, Fail: 0, Info: 0, Missing: 0 };
      table.set(r.section, row);
    }
    row[r.outcome]++;
  }
  return table;
}

/** Count of cases per section, then per level. */
export function levelsBySection(cases: readonly { section: string; level: Level }[]) {
  const table = new Map<string, Record<Level, number>>();
  for (const c of cases) {
    let row = table.get(c.section);
    if (!row) {
      row = { MUST: 0, NON_STRICT: 0, INFO: 0 };
      table.set(c.section, row);
    }
    row[c.level]++;
  }
  return table;
}

/** `II.vi/find-once` → its level as printed. */
export function levelName(level: Level): string {
  return LEVEL_NAMES[level];
}
