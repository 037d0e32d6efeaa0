/** Testing a running server from the outside: the server cases against one address, over UDP only. */
import { type CaseResult, caseInfo } from './case.ts';
import { SERVER_CASES } from './cases/server-cases.ts';
import type { ConformanceReport } from './report/report.ts';
import { runCases } from './runner.ts';
import { ServerCaseContext, type ServerTargetOptions } from './server-context.ts';

/** How to run the server cases. */
export interface RunOptions {
  /** Sections (`II.vi`) or case ids (`II.vi/find-once`) to run; none runs every case. */
  filters?: readonly string[];
  /** Count Non-Strict failures as failures. */
  strict?: boolean;
  /** Longest a case may take, in ms. Default 15000. */
  caseTimeout?: number;
  /** Cases run at once. Default 4 (server) or 3 (user). */
  concurrency?: number;
  /** Called as each case finishes. */
  onResult?: (result: CaseResult) => void;
}

/** Options of {@link runServerConformance}. */
export type ServerConformanceOptions = ServerTargetOptions & RunOptions;

/** Every server case's description, in report order. */
export function serverCases() {
  return SERVER_CASES.map((c) => caseInfo(c as never));
}

const endpoint = (a: { ip: string; port: number }) => `${a.ip}:${a.port}`;

/** Runs the server cases against the server at `options.target`. */
export async function runServerConformance(options: ServerConformanceOptions): Promise<ConformanceReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results = await runCases({
    cases: SERVER_CASES,
    ...(options.filters ? { filters: options.filters } : {}),
    strict: options.strict ?? false,
    caseTimeout: options.caseTimeout ?? 15_000,
    concurrency: options.concurrency ?? 4,
    available: options.channel ? ['channel'] : [],
    context: (transcript, tag) => new ServerCaseContext(options, transcript, tag),
    ...(options.onResult ? { onResult: options.onResult } : {}),
  });
  return {
    mode: 'server',
    target: `${endpoint(options.target)}${options.channel ? ` (channel ${endpoint(options.channel)})` : ''}`,
    strict: options.strict ?? false,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    results,
  };
}
