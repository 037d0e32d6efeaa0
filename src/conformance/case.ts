/**
 * A conformance case as data: an id by spec section, a title, the words it checks, a level, an
 * expectation, and the check itself. Results carry what was observed and every datagram exchanged.
 */
import type { TranscriptEvent } from './transcript.ts';

/**
 * How much a case's failure counts. `MUST`: the specification's text requires it (the words are
 * quoted). `NON_STRICT`: a SHOULD, or a decision of this project documented in docs/protocol.md;
 * its failure fails the run only with `--strict`. `INFO`: observed and reported, never failing.
 */
export type Level = 'MUST' | 'NON_STRICT' | 'INFO';

/** Levels as the reports print them. */
export const LEVEL_NAMES: Record<Level, string> = { MUST: 'MUST', NON_STRICT: 'Non-Strict', INFO: 'Info' };

/**
 * A case's result, as in Autobahn|Testsuite: `Pass`; `Non-Strict` (a Non-Strict case failed, not
 * counted as a failure without `--strict`); `Fail`; `Info` (an informational case ran); `Missing`
 * (the case could not run: what it needs, such as `--channel`, was not given).
 */
export type Outcome = 'Pass' | 'Non-Strict' | 'Fail' | 'Info' | 'Missing';

/** What a case needs beyond the target's address. */
export type Requirement = 'channel';

/** One conformance case; `C` is what it is given to run (a server or a user-node context). */
export interface ConformanceCase<C> {
  /** Section of the specification, a slash, a short name: `II.vi/find-once`. */
  id: string;
  /** One line saying what is checked. */
  title: string;
  /** The words checked: quoted from the specification (MUST) or from docs/protocol.md. */
  words: string;
  /** How much a failure counts: see {@link Level}. */
  level: Level;
  /** What a conforming implementation does, in a sentence or two. */
  expectation: string;
  /** Run only when these are available; otherwise the outcome is `Missing`. */
  needs?: readonly Requirement[];
  /** Throws {@link CaseFailure} (or any error) when the implementation does not do what is expected. */
  run(context: C): Promise<void>;
}

/** The static description of a case, without its check: what `--dryrun` lists. */
export interface CaseInfo extends Omit<ConformanceCase<unknown>, 'run'> {
  /** The section of the specification: the part of the id before the slash, e.g. `II.vi`. */
  section: string;
}

/** A case's section: the part of its id before the first slash. */
export function sectionOf(id: string): string {
  return id.split('/', 1)[0] as string;
}

/** The description of a case, without its check. */
export function caseInfo(c: ConformanceCase<never>): CaseInfo {
  return {
    id: c.id,
    section: sectionOf(c.id),
    title: c.title,
    words: c.words,
    level: c.level,
    expectation: c.expectation,
    ...(c.needs ? { needs: c.needs } : {}),
  };
}

/** One case's result. */
export interface CaseResult extends CaseInfo {
  /** The case's outcome, as in Autobahn|Testsuite: see {@link Outcome}. */
  outcome: Outcome;
  /** Whether the implementation did what was expected (undefined when the case could not run). */
  passed: boolean | undefined;
  /** What was observed, in the order it was noted; the failure's reason last. */
  observed: string[];
  /** Every datagram the kit sent and received in this case, and the events of a node under test. */
  events: TranscriptEvent[];
  /** How long the case took, in ms. */
  durationMs: number;
}

/** A check that did not hold: `observed` says what happened instead. */
export class CaseFailure extends Error {
  /** Always `'CaseFailure'`. */
  override readonly name = 'CaseFailure';
}

/** Fails the case with `observed` unless `condition` holds. */
export function check(condition: unknown, observed: string): asserts condition {
  if (!condition) throw new CaseFailure(observed);
}

/** The outcome of a case that ran: a failure counts by level, and Non-Strict ones only when strict. */
export function outcomeOf(level: Level, passed: boolean, strict: boolean): Outcome {
  if (level === 'INFO') return 'Info';
  if (passed) return 'Pass';
  return level === 'NON_STRICT' && !strict ? 'Non-Strict' : 'Fail';
}

/** Whether a case filter (a section such as `II.vi`, or a case id) selects the case. */
export function selects(filter: string, id: string): boolean {
  return id === filter || id.startsWith(`${filter}/`) || sectionOf(id) === filter;
}

/** The sections in the specification's order. */
export const SECTIONS = [
  'I.i',
  'I.ii',
  'II.i',
  'II.ii',
  'II.iii',
  'II.iv',
  'II.v',
  'II.vi',
  'III',
  'IV',
] as const;

/** Cases sorted by section, in the specification's order (stable within a section). */
export function inSectionOrder<T extends { id: string }>(cases: readonly T[]): T[] {
  const rank = (id: string) => (SECTIONS as readonly string[]).indexOf(sectionOf(id));
  return cases
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.id) - rank(b.c.id) || a.i - b.i)
    .map(({ c }) => c);
}
