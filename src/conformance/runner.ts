/** Runs cases: filters, a time limit per case, bounded concurrency, outcomes by level. */
import {
  type CaseResult,
  type ConformanceCase,
  caseInfo,
  type Outcome,
  outcomeOf,
  type Requirement,
  selects,
} from './case.ts';
import { Transcript } from './transcript.ts';

/** What each case's context must offer the runner. */
export interface CaseContext {
  readonly observed: string[];
  close(): Promise<void>;
}

/** How to run a set of cases. */
export interface RunnerOptions<C extends CaseContext> {
  cases: readonly ConformanceCase<C>[];
  /** Sections (`II.vi`) or case ids (`II.vi/find-once`); none runs every case. */
  filters?: readonly string[];
  /** Count Non-Strict failures as failures. */
  strict?: boolean;
  /** Longest a case may take, in ms, before it fails as timed out. Default 15000. */
  caseTimeout?: number;
  /** Cases run at once. Default 4. */
  concurrency?: number;
  /** What this run provides; a case that needs more is `Missing`. */
  available?: readonly Requirement[];
  /** Makes a case's context; `tag` is letters and digits unique to the case in this run. */
  context(transcript: Transcript, tag: string): C;
  /** Called as each case finishes. */
  onResult?(result: CaseResult): void;
}

/** Counts of outcomes. */
export type OutcomeCounts = Record<Outcome, number>;

/** The cases a filter list selects, in registry order; throws when a filter selects nothing. */
export function selectCases<C>(cases: readonly ConformanceCase<C>[], filters: readonly string[] = []) {
  if (filters.length === 0) return [...cases];
  for (const filter of filters)
    if (!cases.some((c) => selects(filter, c.id))) throw new Error(`no case matches "${filter}"`);
  return cases.filter((c) => filters.some((f) => selects(f, c.id)));
}

export function countOutcomes(results: readonly CaseResult[]): OutcomeCounts {
  const counts: OutcomeCounts = { Pass: 0, 'Non-Strict': 0, Fail: 0, Info: 0, Missing: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** A tag for aliases: up to three base-36 letters of the run, then the case's number. */
const runTag = () => `k${Math.floor(Math.random() * 36 ** 3).toString(36)}`;

/** Runs the selected cases, `concurrency` at a time; results come back in registry order. */
export async function runCases<C extends CaseContext>(options: RunnerOptions<C>): Promise<CaseResult[]> {
  const selected = selectCases(options.cases, options.filters);
  const timeout = options.caseTimeout ?? 15_000;
  const available = new Set(options.available ?? []);
  const tag = runTag();
  const results: CaseResult[] = new Array(selected.length);
  let nextIndex = 0;

  const runOne = async (index: number) => {
    const definition = selected[index] as ConformanceCase<C>;
    const info = caseInfo(definition as ConformanceCase<never>);
    const transcript = new Transcript();
    const started = performance.now();
    const missing = (definition.needs ?? []).filter((n) => !available.has(n));
    let passed: boolean | undefined;
    let observed: string[] = [];
    if (missing.length > 0) {
      observed = [`not run: needs ${missing.map((m) => `--${m}`).join(', ')}`];
    } else {
      const context = options.context(transcript, `${tag}${index}`);
      try {
        await withTimeout(definition.run(context), timeout, definition.id);
        passed = true;
      } catch (error) {
        passed = false;
        context.observed.push((error as Error).message);
      } finally {
        await context.close().catch(() => {});
        observed = context.observed;
      }
    }
    const result: CaseResult = {
      ...info,
      outcome:
        passed === undefined ? 'Missing' : outcomeOf(definition.level, passed, options.strict ?? false),
      passed,
      observed,
      events: transcript.events,
      durationMs: Math.round(performance.now() - started),
    };
    results[index] = result;
    options.onResult?.(result);
  };

  const worker = async () => {
    while (nextIndex < selected.length) await runOne(nextIndex++);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, selected.length) }, worker));
  return results;
}
