/**
 * The playground's part of docs/performance.md, from bench/results/playground.json: a row of the
 * targets and a section. bench/report.ts writes them with the rest of the page; after
 * `npm run bench:playground` alone, `npm run bench:report -- --only playground` puts just these
 * into the current page, leaving every other figure as it was measured.
 */
import { fmt, type Spread } from './results.ts';

/** One frame at 60 Hz. */
const FRAME_MS = 1000 / 60;
/** "Well under a frame": a quarter of it, the rest left to paint, the browser and everything else. */
const TARGET_MS = FRAME_MS / 4;

interface Kind {
  redraw: Spread;
  parseChromium: Spread;
  parseNode: Spread;
  redrawToParse: Spread;
}

export interface PlaygroundResults {
  machine: { date: string; cpus: number; cpu: string };
  setup: {
    packetBytes: number;
    users: number;
    rounds: number;
    redrawsPerBatch: number;
    chromium: string;
    loadAverage?: [number, number];
  };
  valid: Kind;
  error: Kind;
}

export const PLAYGROUND_HEADING = '## The playground in a browser';
const TARGET = `| playground: parse and redraw of a 1,400-byte packet ≤ ¼ of a 60 Hz frame (${fmt(TARGET_MS, 1)} ms)`;

const ms = (s: Spread, digits: number) =>
  `${fmt(s.median, digits)} ms (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export function playgroundTarget(r: PlaygroundResults): string {
  const worst = Math.max(r.valid.redraw.median, r.error.redraw.median);
  return (
    `${TARGET} | ${fmt(r.valid.redraw.median, 2)} ms, ${fmt(r.error.redraw.median, 2)} ms with an error | ` +
    `${worst <= TARGET_MS ? 'met' : '**not met**'} |`
  );
}

export function playgroundSection(r: PlaygroundResults): string[] {
  const { setup } = r;
  const row = (label: string, k: Kind) =>
    `| ${label} | ${ms(k.redraw, 2)} | ${fmt((100 * k.redraw.median) / FRAME_MS)}% | ${ms(k.parseChromium, 3)} | ` +
    `${ms(k.parseNode, 3)} | ${fmt(k.redrawToParse.median)}× |`;
  return [
    PLAYGROUND_HEADING,
    `\`npm run bench:playground\`, measured ${r.machine.date.slice(0, 10)} (${r.machine.cpus} CPUs, ${r.machine.cpu}). ` +
      `docs/playground.html in headless Chromium ${setup.chromium} (the system's, software rendering): a ` +
      `${fmt(setup.packetBytes)}-byte packet (a KNOWNUSERS of ${setup.users} users, about what one datagram ` +
      'holds on Ethernet) is put in the input, whose input event parses it and redraws the page; then style ' +
      'and layout are forced, as the next frame would do them (paint is not included). Two packets that ' +
      `differ in one alias take turns, so every update redraws; ${setup.redrawsPerBatch} updates per timed ` +
      `batch, ${setup.rounds} rounds. The same for a packet with an error in its last Port, which the ` +
      'Chevrotain path words. Baselines in the same rounds: the same packets parsed by the codec alone, in ' +
      'Chromium (its browser entry) and in Node.js.' +
      (setup.loadAverage
        ? ` The machine's load average was ${fmt(setup.loadAverage[0], 1)} before the run and ` +
          `${fmt(setup.loadAverage[1], 1)} after it, on ${r.machine.cpus} CPUs: the other work on it shows in the spread.`
        : ''),
    [
      '| 1,400-byte packet | parse and redraw | of a 60 Hz frame | parse alone, Chromium | parse alone, Node.js | redraw ÷ parse |',
      '| --- | --- | --- | --- | --- | --- |',
      row('valid', r.valid),
      row('an error in the last Port', r.error),
    ].join('\n'),
    'Nearly all of the time is the redraw, not the parse, so the page draws less: lists longer than 8 ' +
      'items are drawn closed (their items built when opened), and the JSON keeps what fits on a line on one line.',
  ];
}

/** `page` (the current docs/performance.md) with the playground's target row and section replaced or added. */
export function spliceIntoPage(page: string, r: PlaygroundResults): string {
  const lines = page.trimEnd().split('\n');
  const row = playgroundTarget(r);
  const at = lines.findIndex((line) => line.startsWith(TARGET));
  if (at >= 0) lines[at] = row;
  else {
    const targets = lines.indexOf('## Targets');
    if (targets < 0) throw new Error('docs/performance.md has no ## Targets table');
    let last = targets + 1;
    while (last < lines.length && !lines[last]?.startsWith('|')) last++;
    while (lines[last + 1]?.startsWith('|')) last++;
    lines.splice(last + 1, 0, row);
  }
  const section = playgroundSection(r).flatMap((block) => [block, '']);
  const start = lines.indexOf(PLAYGROUND_HEADING);
  if (start >= 0) {
    let end = start + 1;
    while (end < lines.length && !lines[end]?.startsWith('## ')) end++;
    lines.splice(start, end - start, ...section);
  } else {
    // After the parser's section, where bench/report.ts writes it.
    const next = lines.findIndex(
      (line, i) => i > lines.indexOf('## Parser and serializer') && line.startsWith('## '),
    );
    lines.splice(next < 0 ? lines.length : next, 0, ...(next < 0 ? ['', ...section] : section));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
