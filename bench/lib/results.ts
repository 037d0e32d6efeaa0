/**
 * What every benchmark script shares: the machine it ran on, medians with min-max, and one
 * results file per script in bench/results/ that `npm run bench` turns into docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';

export const resultsFolder = join(import.meta.dirname, '..', 'results');

/** A measured quantity over repeated runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length };
}

/** A value at a percentile (0-100) of already collected samples. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export interface Machine {
  node: string;
  cpus: number;
  cpu: string;
  date: string;
}

export function machine(): Machine {
  return {
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
  };
}

export function printSetup(what: string, details: Record<string, unknown>): void {
  const m = machine();
  const extra = Object.entries(details)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
  console.log(`${what}: ${extra}; Node ${m.node}; ${m.cpus} CPUs (${m.cpu})`);
}

/** Writes bench/results/<name>.json: `{ machine, setup, ...results }`. */
export function saveResults(name: string, setup: Record<string, unknown>, results: object): string {
  mkdirSync(resultsFolder, { recursive: true });
  const file = join(resultsFolder, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ machine: machine(), setup, ...results }, null, 2)}\n`);
  return file;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
