/**
 * Is the playground fast enough to type into? `npm run bench:playground [-- --rounds 40]`. Writes
 * bench/results/playground.json.
 *
 * docs/playground.html (built afresh from the sources) in headless Chromium, the system's, with
 * software rendering: a 1,400-byte packet (a KNOWNUSERS list, about what fits in one datagram on
 * Ethernet) is put in the input and the input event fired, which parses it and redraws the page;
 * then style and layout are forced, as the next frame would do them. Paint is not included. Two
 * packets that differ in one alias take turns, so every update redraws; the same for a packet with
 * an error in its last Port, which takes the Chevrotain path.
 *
 * Baselines in the same run, round by round: parsing the same packets with the codec alone in
 * Chromium (its browser entry on a blank page), and in Node.js. Nothing is asserted here; the
 * report compares the figure with one frame at 60 Hz.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { renderPlayground } from '../scripts/build-playground.ts';
import { safeParse } from '../src/index.ts';
import { CHROMIUM, launchChromium } from '../test/browser/chromium.ts';
import { fmt, printSetup, type Spread, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' } } });
const rounds = Number(values.rounds);
const PACKET_BYTES = 1400;
/** Updates per timed batch (a batch is timed as a whole: Chromium's clock has 0.1 ms steps). */
const REDRAWS = 10;
const PARSES = 200;
const root = join(import.meta.dirname, '..');

if (!existsSync(CHROMIUM)) {
  console.log(`bench/playground.ts: no Chromium at ${CHROMIUM}; nothing measured`);
  process.exit(0);
}

/** A server's KNOWNUSERS, exactly `PACKET_BYTES` long; `first` names the first user; `lastPort` the last one's. */
function knownUsers(first: string, lastPort: string): string {
  const head = 'SERVER alpha 10.0.0.1 8000 KNOWNUSERS';
  const user = (alias: string, i: number, port: string) =>
    ` USERNODE ${alias} 10.0.${i >> 8}.${i & 255} ${port}`;
  const users = [user(first, 0, '5000')];
  for (let i = 1; ; i++) {
    const next = user(`user${String(i).padStart(3, '0')}`, i, String(5000 + i));
    // Room for this one and a last user with a one-letter alias at least.
    if (head.length + [...users, next].join('').length + user('u', i + 1, lastPort).length > PACKET_BYTES)
      break;
    users.push(next);
  }
  const rest = PACKET_BYTES - head.length - users.join('').length - user('', users.length, lastPort).length;
  users.push(user('u'.repeat(rest), users.length, lastPort));
  return head + users.join('');
}

const valid = [knownUsers('ann', '6000'), knownUsers('bob', '6000')];
const users = (valid[0] as string).split('USERNODE').length - 1;
const broken = [knownUsers('ann', '70000'), knownUsers('bob', '70000')];
for (const packet of [...valid, ...broken]) {
  if (new TextEncoder().encode(packet).length !== PACKET_BYTES)
    throw new Error('a packet is not 1,400 bytes');
}
if (!valid.every((p) => safeParse(p).ok) || broken.some((p) => safeParse(p).ok)) {
  throw new Error('the valid packets must parse and the broken ones must not');
}

/** Milliseconds per update: `count` updates of the playground's input, alternating `packets`. */
const redrawBatch = (packets: string[], count: number) => `(() => {
  const input = document.getElementById('packet');
  const packets = ${JSON.stringify(packets)};
  const start = performance.now();
  for (let i = 0; i < ${count}; i++) {
    input.value = packets[i % 2];
    input.dispatchEvent(new Event('input'));
    document.body.getBoundingClientRect();
  }
  const each = (performance.now() - start) / ${count};
  if (document.getElementById('status').className !== ${JSON.stringify(packets === valid ? 'valid' : 'invalid')}) {
    throw new Error('the page did not show what was expected');
  }
  return each;
})()`;

/** Milliseconds per parse with the codec alone in the page (ChatProto: its browser entry). */
const parseBatch = (packets: string[], count: number) => `(() => {
  const packets = ${JSON.stringify(packets)};
  let ok = 0;
  const start = performance.now();
  for (let i = 0; i < ${count}; i++) if (ChatProto.safeParse(packets[i % 2]).ok) ok++;
  return [(performance.now() - start) / ${count}, ok];
})()`;

function nodeBatch(packets: string[], count: number): number {
  let ok = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) if (safeParse(packets[i % 2] as string).ok) ok++;
  const each = (performance.now() - start) / count;
  if (ok !== (packets === valid ? count : 0)) throw new Error('Node.js parsed other than expected');
  return each;
}

const playgroundFile = join(root, '.tmp', 'bench-playground.html');
mkdirSync(join(root, '.tmp'), { recursive: true });
writeFileSync(playgroundFile, await renderPlayground());
const codec = await build({
  entryPoints: [join(root, 'src', 'browser.ts')],
  bundle: true,
  format: 'iife',
  globalName: 'ChatProto',
  platform: 'browser',
  target: 'es2023',
  minify: true,
  write: false,
  logLevel: 'silent',
});

const loadBefore = loadavg()[0] as number;
const browser = await launchChromium();
try {
  const version = browser.version();
  printSetup('playground', {
    packet: `${PACKET_BYTES} bytes (KNOWNUSERS of ${users} users)`,
    rounds,
    redrawsPerBatch: REDRAWS,
    parsesPerBatch: PARSES,
    chromium: version,
  });
  const playground = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await playground.goto(pathToFileURL(playgroundFile).href);
  const blank = await browser.newPage();
  await blank.setContent(`<!DOCTYPE html><title>codec</title><script>${codec.outputFiles[0]?.text}</script>`);

  const samples: Record<string, number[]> = {};
  const add = (task: string, ms: number) => {
    samples[task] ??= [];
    samples[task].push(ms);
  };
  // One batch of each task untimed first (code paths compiled, Chevrotain's parser built).
  for (let round = -1; round < rounds; round++) {
    for (const [kind, packets] of [
      ['valid', valid],
      ['error', broken],
    ] as const) {
      const redraw = (await playground.evaluate(redrawBatch(packets, REDRAWS))) as number;
      const [parse, ok] = (await blank.evaluate(parseBatch(packets, PARSES))) as [number, number];
      if (ok !== (kind === 'valid' ? PARSES : 0)) throw new Error('Chromium parsed other than expected');
      const node = nodeBatch(packets, PARSES);
      if (round < 0) continue;
      add(`${kind}.redraw`, redraw);
      add(`${kind}.parseChromium`, parse);
      add(`${kind}.parseNode`, node);
      add(`${kind}.redrawToParse`, redraw / parse);
    }
  }
  const result = (kind: 'valid' | 'error') => ({
    redraw: spread(samples[`${kind}.redraw`] ?? []),
    parseChromium: spread(samples[`${kind}.parseChromium`] ?? []),
    parseNode: spread(samples[`${kind}.parseNode`] ?? []),
    redrawToParse: spread(samples[`${kind}.redrawToParse`] ?? []),
  });
  const results = { valid: result('valid'), error: result('error') };
  const show = (s: Spread) => `${fmt(s.median, 3)} ms (${fmt(s.min, 3)}-${fmt(s.max, 3)})`;
  for (const kind of ['valid', 'error'] as const) {
    const r = results[kind];
    console.log(
      `${kind}: parse and redraw ${show(r.redraw)}; parse alone in Chromium ${show(r.parseChromium)}, in Node.js ${show(r.parseNode)}`,
    );
  }
  const file = saveResults(
    'playground',
    {
      packetBytes: PACKET_BYTES,
      users,
      rounds,
      redrawsPerBatch: REDRAWS,
      parsesPerBatch: PARSES,
      chromium: version,
      // What else the machine was doing: the 1-minute load average before and after the run.
      loadAverage: [loadBefore, loadavg()[0] as number],
    },
    results,
  );
  console.log(`wrote ${file}`);
} finally {
  await browser.close();
}
