/**
 * What bench/codec.ts times, one task per process (bench/codec-task.ts): the corpora and the
 * functions run over them. Several Chevrotain parsers, or many retained token arrays, in one
 * process slow each other's code by 0.05x or more, so no task shares a process with another.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseWithChevrotain } from '../../grammar/chevrotain-path.ts';
import { parse, safeParse, serialize } from '../../src/index.ts';
import { parseHandwritten } from '../baselines/handwritten.ts';
import { templateSerialize } from '../baselines/template.ts';
import { seeded } from './seeded.ts';

const corpusFolder = join(import.meta.dirname, '..', 'corpus');
const load = (file: string): string[] => JSON.parse(readFileSync(join(corpusFolder, file), 'utf8'));
export const mixed = load('mixed.json');
export const large = load('large-replies.json');
export const bytes = (texts: readonly string[]) => texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

/** IRC lines with the mixed corpus's mean length: PRIVMSGs and a few other commands. */
function ircLines(count: number, meanBytes: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const head = `:nick${i % 97}!user${i % 13}@host${i % 31}.example.org ${i % 10 === 0 ? 'NOTICE' : 'PRIVMSG'} #room${i % 7} :`;
    const want = Math.max(1, Math.round(meanBytes * (0.3 + ((i * 7919) % 1400) / 1000)) - head.length);
    lines.push(head + 'hello there '.repeat(Math.ceil(want / 12)).slice(0, want));
  }
  return lines;
}
export const irc = ircLines(mixed.length, bytes(mixed) / mixed.length);

/**
 * The mixed corpus with one mistake in each packet (seeded, so every run times the same texts):
 * a Port out of range, a missing MESSAGE keyword, a stray character, or a cut. Only packets the
 * edit really breaks are kept.
 */
export function invalidPackets(): string[] {
  const random = seeded(12);
  const edits = [
    (t: string) => t.replace(/ (\d{4,5})( |$)/, ' 70000$2'),
    (t: string) => t.replace('MESSAGE ', ''),
    (t: string) => {
      const at = Math.floor(random() * t.length);
      return `${t.slice(0, at)}!${t.slice(at)}`;
    },
    (t: string) => t.slice(0, Math.floor(t.length * (0.2 + 0.6 * random()))),
  ];
  return mixed
    .map((t, i) => (edits[i % edits.length] as (t: string) => string)(t))
    .filter((t) => !safeParse(t).ok);
}

const ircParse: (line: string) => unknown = createRequire(import.meta.url)('irc-message').parse;

/** Rejects like `parse`; the benchmark counts the errors. */
function rejects(run: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      run(text);
      return false;
    } catch {
      return true;
    }
  };
}

/** A task: what it runs over, and the function run on each element. */
export interface Task {
  inputs: () => readonly unknown[];
  run: (input: never) => unknown;
}

export const TASKS = {
  handwritten: { inputs: () => mixed, run: parseHandwritten },
  parse: { inputs: () => mixed, run: parse },
  chevrotainPath: { inputs: () => mixed, run: parseWithChevrotain },
  split: { inputs: () => mixed, run: (t: string) => t.split(' ') },
  ircMessage: { inputs: () => irc, run: ircParse },
  handwrittenLarge: { inputs: () => large, run: parseHandwritten },
  parseLarge: { inputs: () => large, run: parse },
  chevrotainPathLarge: { inputs: () => large, run: parseWithChevrotain },
  parseErrors: { inputs: invalidPackets, run: rejects(parse) },
  chevrotainPathErrors: { inputs: invalidPackets, run: rejects(parseWithChevrotain) },
  serialize: { inputs: () => mixed.map((t) => parse(t)), run: serialize },
  template: { inputs: () => mixed.map((t) => parse(t)), run: templateSerialize },
} satisfies Record<string, Task>;

export type TaskName = keyof typeof TASKS;
