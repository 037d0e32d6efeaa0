/**
 * Parser and serializer throughput on the checked-in corpora, beside baselines measured in the
 * same run: `npm run bench:codec [-- --rounds 5 --time 2000 --starts 15]`. Writes
 * bench/results/codec.json.
 *
 * - parse: the library (the generated fast path, the Chevrotain path for what it does not
 *   accept); the Chevrotain path alone, as parse was before the fast path; hand-written:
 *   bench/baselines/handwritten.ts (the limit `parse` aims at); split: `split(' ')`, a floor no
 *   parser beats; irc-message: a peer, on IRC lines of the same mean length.
 * - the error path: parse and the Chevrotain path alone on the mixed corpus with a mistake in
 *   every packet.
 * - serialize (validating) beside an unvalidated template-string baseline, which must write the
 *   same text for every packet of the corpus: checked before anything is timed.
 * - cold start: process start to the first parsed packet, beside `node -e ''`.
 * - the codec's browser bundle, minified and gzip, with and without Chevrotain.
 *
 * Every task runs in a process of its own (bench/codec-task.ts), all tasks in turn in each
 * round, so each round's ratios compare tasks that shared the same stretch of machine time.
 * Nothing here is asserted: timings on a shared machine are noisy, so the figures are ratios.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, serialize } from '../src/index.ts';
import { templateSerialize } from './baselines/template.ts';
import { bundleSizes } from './lib/bundle-size.ts';
import { bytes, invalidPackets, irc, large, mixed, TASKS, type TaskName } from './lib/codec-tasks.ts';
import { fmt, printSetup, type Spread, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    starts: { type: 'string', default: '15' },
  },
});
const time = Number(values.time);
const rounds = Number(values.rounds);
const starts = Number(values.starts);
const node = process.execPath;
const root = join(import.meta.dirname, '..');

/**
 * The serialize ratio only measures validation if both write the same text: a baseline that wrote
 * less (an unpadded port, a missing NUL) would be faster for doing less.
 */
function checkTemplateWritesWhatSerializeWrites(texts: readonly string[]): void {
  for (const text of texts) {
    const packet = parse(text);
    const expected = serialize(packet);
    if (templateSerialize(packet) !== expected) {
      throw new Error(
        `the template baseline does not write what serialize writes for ${JSON.stringify(text)}`,
      );
    }
  }
}

/** Every task once per round, each in a new process; the rates per task, round by round. */
function throughput(): Record<TaskName, number[]> {
  const names = Object.keys(TASKS) as TaskName[];
  const rates = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<TaskName, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const output = execFileSync(node, [join(import.meta.dirname, 'codec-task.ts'), name, String(time)], {
        encoding: 'utf8',
      });
      rates[name].push((JSON.parse(output) as { rate: number }).rate);
    }
    console.log(`round ${round + 1} of ${rounds} done`);
  }
  return rates;
}

/** Milliseconds from spawning Node to the end of each script, `starts` times, in turn. */
function coldStart(scripts: Record<string, string[]>): Record<string, Spread> {
  const times = Object.fromEntries(Object.keys(scripts).map((name) => [name, [] as number[]]));
  for (let i = 0; i < starts; i++) {
    for (const [name, args] of Object.entries(scripts)) {
      const started = performance.now();
      execFileSync(node, args, { stdio: 'ignore' });
      times[name]?.push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, spread(t)]));
}

const valid = JSON.stringify(mixed[0]);
const invalid = JSON.stringify(invalidPackets()[0]);
const importing = (entry: string, text: string) => [
  '--input-type=module',
  '-e',
  `const { parse } = await import(${JSON.stringify(entry)}); try { parse(${text}); } catch {}`,
];
const source = new URL('../src/index.ts', import.meta.url).href;
const built = join(root, 'dist', 'index.js');
const builtCjs = join(root, 'dist', 'index.cjs');
const hasBuild = existsSync(built) && existsSync(builtCjs);
const startScripts: Record<string, string[]> = {
  emptyNode: ['-e', ''],
  firstParse: importing(source, valid),
  ...(hasBuild
    ? {
        builtFirstParse: importing(built, valid),
        builtFirstError: importing(built, invalid),
        builtCjsFirstParse: ['-e', `require(${JSON.stringify(builtCjs)}).parse(${valid})`],
      }
    : {}),
};

const setup = {
  corpus: `mixed.json: ${mixed.length} packets, mean ${fmt(bytes(mixed) / mixed.length, 1)} bytes; large-replies.json: ${large.length} packets, mean ${fmt(bytes(large) / large.length)} bytes`,
  irc: `${irc.length} lines, mean ${fmt(bytes(irc) / irc.length, 1)} bytes`,
  errors: `${invalidPackets().length} packets of mixed.json with one mistake each`,
  time: `${rounds} rounds, each task ${time} ms in a process of its own per round`,
  coldStarts: starts,
};
printSetup('codec', setup);
checkTemplateWritesWhatSerializeWrites(mixed);
if (!hasBuild) console.log('no dist/: run `npm run build` first to time the built package too');
const perRound = throughput();
const rates = Object.fromEntries(Object.entries(perRound).map(([name, r]) => [name, spread(r)])) as Record<
  TaskName,
  Spread
>;
const ratio = (name: TaskName, base: TaskName) =>
  spread(perRound[name].map((rate, round) => rate / (perRound[base][round] as number)));
const ratios = {
  parse: ratio('parse', 'handwritten'),
  chevrotainPath: ratio('chevrotainPath', 'handwritten'),
  split: ratio('split', 'handwritten'),
  ircMessage: ratio('ircMessage', 'handwritten'),
  parseLarge: ratio('parseLarge', 'handwrittenLarge'),
  chevrotainPathLarge: ratio('chevrotainPathLarge', 'handwrittenLarge'),
  parseErrors: ratio('parseErrors', 'chevrotainPathErrors'),
  errorsToValid: ratio('parseErrors', 'parse'),
  serialize: ratio('serialize', 'template'),
};
const results = { rates, ratios, coldStart: coldStart(startScripts), bundle: await bundleSizes() };

const mixedMean = bytes(mixed) / mixed.length;
const line = (name: string, r: Spread, x?: Spread, meanBytes = mixedMean) =>
  console.log(
    `${name.padEnd(34)} ${fmt(r.median).padStart(11)} /s (${fmt(r.min)}-${fmt(r.max)}), ${fmt((r.median * meanBytes) / 1e6, 1)} MB/s` +
      (x ? `, ${fmt(x.median, 2)}x (${fmt(x.min, 2)}-${fmt(x.max, 2)})` : ''),
  );
const largeMean = bytes(large) / large.length;
line('hand-written', rates.handwritten);
line('parse', rates.parse, ratios.parse);
line('  Chevrotain path alone', rates.chevrotainPath, ratios.chevrotainPath);
line('split(" ")', rates.split, ratios.split);
line('irc-message (IRC lines)', rates.ircMessage, ratios.ircMessage, bytes(irc) / irc.length);
line('hand-written, large replies', rates.handwrittenLarge, undefined, largeMean);
line('parse, large replies', rates.parseLarge, ratios.parseLarge, largeMean);
line('  Chevrotain path alone, large', rates.chevrotainPathLarge, ratios.chevrotainPathLarge, largeMean);
line('Chevrotain path alone, errors', rates.chevrotainPathErrors);
line('parse, errors', rates.parseErrors, ratios.parseErrors);
console.log(`  errors against valid packets: ${fmt(ratios.errorsToValid.median, 3)}x`);
line('template (unvalidated)', rates.template);
line('serialize', rates.serialize, ratios.serialize);
const { emptyNode } = results.coldStart;
for (const [name, s] of Object.entries(results.coldStart)) {
  const extra = name === 'emptyNode' ? '' : `, ${fmt(s.median - (emptyNode as Spread).median)} ms more`;
  console.log(`cold start ${name.padEnd(20)} ${fmt(s.median)} ms (${fmt(s.min)}-${fmt(s.max)})${extra}`);
}
const { withChevrotain, withoutChevrotain } = results.bundle;
console.log(
  `browser bundle: with Chevrotain ${fmt(withChevrotain.minified / 1000, 1)} kB minified, ${fmt(withChevrotain.gzip / 1000, 1)} kB gzip; without ${fmt(withoutChevrotain.minified / 1000, 1)} kB, ${fmt(withoutChevrotain.gzip / 1000, 1)} kB gzip`,
);
console.log(`results: ${saveResults('codec', setup, results)}`);
