/**
 * Parse and serialize throughput on a mixed corpus: `npm run bench:codec [-- --packets N --rounds R]`.
 * The corpus is drawn from the test arbitraries with a fixed seed, so every run measures the same
 * packets. Prints medians with min-max over the rounds; nothing here is asserted.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { parse, serialize } from '../src/index.ts';
import { canonical, isAmbiguous, packet } from '../test/arbitraries.ts';

const { values } = parseArgs({
  options: { packets: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '9' } },
});
const count = Number(values.packets);
const rounds = Number(values.rounds);

const written = fc.sample(
  packet.filter((w) => !isAmbiguous(w.value)),
  { numRuns: count, seed: 20261124 },
);
const texts = written.map(canonical);
const packets = texts.map((text) => parse(text));
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

function measure(run: () => void): { median: number; min: number; max: number } {
  run(); // warm-up: JIT and inline caches
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    rates.push(count / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return {
    median: rates[rates.length >> 1] as number,
    min: rates[0] as number,
    max: rates[rates.length - 1] as number,
  };
}

const format = (name: string, r: { median: number; min: number; max: number }) => {
  const mb = (r.median * (bytes / count)) / 1e6;
  return `${name.padEnd(10)} ${Math.round(r.median).toLocaleString('en')} packets/s (min ${Math.round(r.min).toLocaleString('en')}, max ${Math.round(r.max).toLocaleString('en')}), ${mb.toFixed(1)} MB/s`;
};

console.log(
  `corpus: ${count} packets, mean ${(bytes / count).toFixed(0)} bytes; ${rounds} rounds; Node ${process.version}; ${availableParallelism()} CPUs`,
);
console.log(
  format(
    'parse',
    measure(() => {
      for (const text of texts) parse(text);
    }),
  ),
);
console.log(
  format(
    'serialize',
    measure(() => {
      for (const p of packets) serialize(p);
    }),
  ),
);
