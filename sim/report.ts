/** A run's outcome as text: each violation (seed, virtual time, the trace around it), then the last line. */
import { around } from './checker.ts';
import type { RunResult } from './run.ts';

export function report(result: RunResult): string[] {
  const { config } = result.schedule;
  const lines: string[] = [];
  for (const violation of result.violations.slice(0, 5)) {
    lines.push(
      `violation: seed ${config.seed} at ${(violation.t / 1000).toFixed(3)}s (virtual) on ${violation.node}: ${violation.what}`,
      ...around(result.trace, violation.t).map((l) => `  ${l}`),
    );
  }
  if (result.violations.length > 5) lines.push(`... and ${result.violations.length - 5} more violations`);
  lines.push(
    `simulate: seed ${config.seed} digest ${result.digest} events ${result.events} violations ${result.violations.length}`,
  );
  return lines;
}
