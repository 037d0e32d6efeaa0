/**
 * The conformance kit: tests a server or a user node of the protocol from the outside, over UDP,
 * as h2spec and Autobahn|Testsuite do for HTTP/2 and WebSocket.
 * @packageDocumentation
 */
export {
  CaseFailure,
  type CaseInfo,
  type CaseResult,
  type ConformanceCase,
  type Level,
  type Outcome,
  type Requirement,
} from './case.ts';
export type { Address } from './probe.ts';
export { htmlReport } from './report/html.ts';
export { jsonReport } from './report/json.ts';
export { junitReport } from './report/junit.ts';
export { type ConformanceReport, runPassed } from './report/report.ts';
export { dryRunLines, terminalReport } from './report/terminal.ts';
export type { ServerTargetOptions } from './server-context.ts';
export {
  type RunOptions,
  runServerConformance,
  type ServerConformanceOptions,
  serverCases,
} from './server-run.ts';
export type { TranscriptEvent } from './transcript.ts';
export type { UserTargetOptions } from './user-context.ts';
export { runUserConformance, type UserConformanceOptions, userCases } from './user-run.ts';

import type { ConformanceReport } from './report/report.ts';
import { runServerConformance, type ServerConformanceOptions } from './server-run.ts';
import { runUserConformance, type UserConformanceOptions } from './user-run.ts';

/** What to test: a running server (`mode: 'server'`) or a user node started by command (`mode: 'user'`). */
export type ConformanceOptions =
  | ({
      /** Test the running server at `target`. */
      mode: 'server';
    } & ServerConformanceOptions)
  | ({
      /** Test the user node that `command` starts. */
      mode: 'user';
    } & UserConformanceOptions);

/**
 * Runs the conformance cases against a server or a user node and resolves with the report.
 * @example
 * const report = await runConformance({ mode: 'server', target: { ip: '127.0.0.1', port: 8000 } });
 * console.log(runPassed(report) ? 'conforms' : 'fails');
 */
export function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  return options.mode === 'server' ? runServerConformance(options) : runUserConformance(options);
}
