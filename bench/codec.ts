/**
 * Parser and serializer throughput on the checked-in corpora, beside baselines measured in the
 * same run: `npm run bench:codec`. Writes bench/results/codec.json.
 *
 * - parse: the library; hand-written: bench/baselines/handwritten.ts (the limit `parse` aims at);
 *   split: `String.prototype.split(' ')`, a floor no parser beats; irc-message: a peer, on IRC
 *   lines of the same mean length.
 * - serialize (validating) beside an unvalidated template-string baseline.
 * - cold start: process start to the first parsed packet, beside `node -e ''`.
 *
 * Each task runs over a whole corpus; tinybench repeats it and reports the median with min-max.
 * Nothing here is asserted: timings on a shared machine are noisy, so the figures are ratios.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { IToken } from 'chevrotain';
import { Bench } from 'tinybench';
import { parseTokens } from '../grammar/chevrotain-path.ts';
import { createLexer } from '../grammar/lexer.ts';
import { tokenize } from '../grammar/tokenizer.ts';
import { type Packet, parse, serialize, type UserNode } from '../src/index.ts';
import { parseHandwritten } from './baselines/handwritten.ts';
import { templateSerialize } from './baselines/template.ts';
import { fmt, printSetup, type Spread, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '10000' },
    passes: { type: 'string', default: '5' },
    starts: { type: 'string', default: '15' },
  },
});
const time = Number(values.time);
const passes = Number(values.passes);
const starts = Number(values.starts);

const corpusFolder = join(import.meta.dirname, 'corpus');
const load = (file: string): string[] => JSON.parse(readFileSync(join(corpusFolder, file), 'utf8'));
const mixed = load('mixed.json');
const large = load('large-replies.json');
const bytes = (texts: readonly string[]) => texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

const ircParse: (line: string) => unknown = createRequire(import.meta.url)('irc-message').parse;
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
const irc = ircLines(mixed.length, bytes(mixed) / mixed.length);

const mixedPackets = mixed.map((t) => parse(t));

// parse in two parts, to see where its time goes: the tokenizer alone, and Chevrotain's parser
// alone on tokens made beforehand (what parse would be with a tokenizer that cost nothing). The
// shipped parser instance is used: a second instance would slow both (shared, polymorphic code).
const mixedTokens = mixed.map((t) => tokenize(t).tokens);
// Chevrotain's own Lexer on the same vocabulary, which the tokenizer replaced: for comparison.
const chevrotainLexer = createLexer({ skipValidations: true });
function parserAlone(): number {
  let n = 0;
  for (let i = 0; i < mixed.length; i++) if (parseTokens(mixed[i] as string, mixedTokens[i] as IToken[])) n++;
  return n;
}

/** Median packets/s of a task that handles `count` packets per call, from tinybench's latencies. */
function rate(bench: Bench, name: string, count: number): number {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`benchmark ${name} did not complete: ${result?.state}`);
  return count / (result.latency.p50 / 1000);
}

const TASKS = [
  'parse',
  'handwritten',
  'tokenizerAlone',
  'chevrotainLexer',
  'parserAlone',
  'split',
  'ircMessage',
  'parseLarge',
  'handwrittenLarge',
  'serialize',
  'template',
] as const;
type Task = (typeof TASKS)[number];

/** Task name -> [packets per call, function]. */
function tasks(sink: { n: number }): Record<Task, [number, () => void]> {
  const over = (texts: readonly string[], f: (t: string) => unknown): [number, () => void] => [
    texts.length,
    () => {
      for (const t of texts) if (f(t)) sink.n++;
    },
  ];
  return {
    parse: over(mixed, parse),
    handwritten: over(mixed, parseHandwritten),
    tokenizerAlone: over(mixed, (t) => tokenize(t).tokens.length),
    chevrotainLexer: over(mixed, (t) => chevrotainLexer.tokenize(t).tokens.length),
    parserAlone: [
      mixed.length,
      () => {
        sink.n += parserAlone();
      },
    ],
    split: over(mixed, (t) => t.split(' ')),
    ircMessage: over(irc, ircParse),
    parseLarge: over(large, parse),
    handwrittenLarge: over(large, parseHandwritten),
    serialize: [
      mixedPackets.length,
      () => {
        for (const p of mixedPackets) if (serialize(p)) sink.n++;
      },
    ],
    template: [
      mixedPackets.length,
      () => {
        for (const p of mixedPackets) if (templateSerialize(p)) sink.n++;
      },
    ],
  };
}

/**
 * Runs every task in `passes` passes (the whole set each pass, so baselines and the library share
 * each stretch of machine time) and returns, per task, the spread of its per-pass medians, and
 * per compared pair the spread of the per-pass ratios.
 */
async function throughput() {
  const sink = { n: 0 };
  const all = tasks(sink);
  const perPass: Record<string, number>[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const bench = new Bench({ time: time / passes, warmup: true, warmupTime: 200 });
    for (const [name, [, run]] of Object.entries(all)) bench.add(name, run);
    await bench.run();
    perPass.push(
      Object.fromEntries(Object.entries(all).map(([name, [count]]) => [name, rate(bench, name, count)])),
    );
  }
  if (sink.n === 0) throw new Error('nothing was computed');
  const rates = Object.fromEntries(
    TASKS.map((name) => [name, spread(perPass.map((p) => p[name] as number))]),
  ) as Record<Task, Spread>;
  const ratio = (name: Task, base: Task) =>
    spread(perPass.map((p) => (p[name] as number) / (p[base] as number)));
  const ratios = {
    parse: ratio('parse', 'handwritten'),
    tokenizerAlone: ratio('tokenizerAlone', 'handwritten'),
    chevrotainLexer: ratio('chevrotainLexer', 'handwritten'),
    parserAlone: ratio('parserAlone', 'handwritten'),
    split: ratio('split', 'handwritten'),
    ircMessage: ratio('ircMessage', 'handwritten'),
    parseLarge: ratio('parseLarge', 'handwrittenLarge'),
    serialize: ratio('serialize', 'template'),
  };
  return { rates, ratios };
}

/** Milliseconds from spawning Node to the end of `script`, `starts` times, alternating the two. */
function coldStart() {
  const node = process.execPath;
  const first = JSON.stringify(mixed[0]);
  const entry = JSON.stringify(new URL('../src/index.ts', import.meta.url).href);
  const script = `const { parse } = await import(${entry}); parse(${first});`;
  const empty: number[] = [];
  const parsed: number[] = [];
  for (let i = 0; i < starts; i++) {
    for (const [args, into] of [
      [['-e', ''], empty],
      [['--input-type=module', '-e', script], parsed],
    ] as const) {
      const started = performance.now();
      execFileSync(node, args, { stdio: 'ignore' });
      into.push(performance.now() - started);
    }
  }
  return { emptyNode: spread(empty), firstParse: spread(parsed) };
}

function userAt(alias: string): UserNode {
  return { kind: 'UserNode', alias, ip: '10.0.0.1', port: 5000 };
}
// A packet both serializers must agree on, checked before timing.
const probe: Packet = { kind: 'UserCommand', sender: userAt('bob'), command: { verb: 'FIND', alias: 'ann' } };
if (templateSerialize(probe) !== serialize(probe)) throw new Error('the template baseline disagrees');

const setup = {
  corpus: `mixed.json: ${mixed.length} packets, mean ${fmt(bytes(mixed) / mixed.length, 1)} bytes; large-replies.json: ${large.length} packets, mean ${fmt(bytes(large) / large.length)} bytes`,
  irc: `${irc.length} lines, mean ${fmt(bytes(irc) / irc.length, 1)} bytes`,
  time: `${time} ms per task in ${passes} passes`,
  coldStarts: starts,
};
printSetup('codec', setup);
const { rates, ratios } = await throughput();
const results = { rates, ratios, coldStart: coldStart() };
const mixedMean = bytes(mixed) / mixed.length;
const line = (name: string, r: Spread, ratio?: Spread, meanBytes = mixedMean) =>
  console.log(
    `${name.padEnd(30)} ${fmt(r.median).padStart(11)} packets/s (${fmt(r.min)}-${fmt(r.max)}), ${fmt((r.median * meanBytes) / 1e6, 1)} MB/s` +
      (ratio ? `, ${fmt(ratio.median, 2)}x (${fmt(ratio.min, 2)}-${fmt(ratio.max, 2)})` : ''),
  );
line('hand-written', rates.handwritten);
line('parse', rates.parse, ratios.parse);
line('  tokenizer alone', rates.tokenizerAlone, ratios.tokenizerAlone);
line('  parser alone (tokens ready)', rates.parserAlone, ratios.parserAlone);
line('  (Chevrotain Lexer, replaced)', rates.chevrotainLexer, ratios.chevrotainLexer);
line('split(" ")', rates.split, ratios.split);
line('irc-message (IRC lines)', rates.ircMessage, ratios.ircMessage, bytes(irc) / irc.length);
line('hand-written, large replies', rates.handwrittenLarge, undefined, bytes(large) / large.length);
line('parse, large replies', rates.parseLarge, ratios.parseLarge, bytes(large) / large.length);
line('template (unvalidated)', rates.template);
line('serialize', rates.serialize, ratios.serialize);
const { emptyNode, firstParse } = results.coldStart;
console.log(
  `cold start: first parsed packet ${fmt(firstParse.median)} ms (${fmt(firstParse.min)}-${fmt(firstParse.max)}), node -e '' ${fmt(emptyNode.median)} ms (${fmt(emptyNode.min)}-${fmt(emptyNode.max)}), difference ${fmt(firstParse.median - emptyNode.median)} ms`,
);
console.log(`results: ${saveResults('codec', setup, results)}`);
