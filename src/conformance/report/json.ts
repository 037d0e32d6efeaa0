/** The JSON report: the whole run, with each case's transcript, for other tools to read. */
import { countOutcomes } from '../runner.ts';
import { type ConformanceReport, runPassed } from './report.ts';

/** The report as JSON text (format 1). */
export function jsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(
    { format: 1, ...report, passed: runPassed(report), counts: countOutcomes(report.results) },
    null,
    2,
  )}\n`;
}
