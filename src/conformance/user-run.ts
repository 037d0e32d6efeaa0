/** Testing a user node: the kit plays its servers and starts it from a command line, once per case. */
import { caseInfo } from './case.ts';
import { USER_CASES } from './cases/user-cases.ts';
import type { ConformanceReport } from './report/report.ts';
import { runCases } from './runner.ts';
import type { RunOptions } from './server-run.ts';
import { UserCaseContext, type UserTargetOptions } from './user-context.ts';

/** Options of {@link runUserConformance}. */
export type UserConformanceOptions = UserTargetOptions & RunOptions;

/** Every user case's description, in report order. */
export function userCases() {
  return USER_CASES.map((c) => caseInfo(c as never));
}

/** Runs the user cases, starting the node under test with `options.command` for each. */
export async function runUserConformance(options: UserConformanceOptions): Promise<ConformanceReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results = await runCases({
    cases: USER_CASES,
    ...(options.filters ? { filters: options.filters } : {}),
    strict: options.strict ?? false,
    caseTimeout: options.caseTimeout ?? Math.max(15_000, (options.patience ?? 15_000) * 3),
    concurrency: options.concurrency ?? 3,
    context: (transcript, tag) => new UserCaseContext(options, transcript, tag),
    ...(options.onResult ? { onResult: options.onResult } : {}),
  });
  return {
    mode: 'user',
    target: options.command.join(' '),
    strict: options.strict ?? false,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    results,
  };
}
