/**
 * The fixed runs CI makes (test/sim/): short runs of a small network, their fault mixes
 * rotating with the seed, so that each mechanism gets quiet windows the checker can judge (a
 * run with every fault kind is rarely quiet long enough to judge a homecoming).
 */
import { DEFAULT_CONFIG, FAULT_KINDS, type FaultKind, type SimConfig } from './config.ts';

const MIXES: readonly (readonly FaultKind[])[] = [
  FAULT_KINDS,
  [],
  ['crash'],
  ['crash', 'garbage'],
  ['loss', 'duplicate', 'reorder'],
  ['partition', 'jump'],
  ['spike', 'garbage'],
];

/** Runs in CI; `npm run simulate:campaign` runs many more, longer. */
export const CI_RUNS = 200;

/** The configuration of CI run number `i` (seed i + 1). */
export function ciConfig(i: number): SimConfig {
  return { ...DEFAULT_CONFIG, seed: i + 1, minutes: 1, faults: MIXES[i % MIXES.length] as FaultKind[] };
}
