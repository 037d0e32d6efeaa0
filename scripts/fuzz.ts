/**
 * The long fuzz campaign: `npm run fuzz [-- --runs N --seed S]` (default one million cases per
 * property). Every input must parse to a packet or a ProtocolError; every serializable packet must
 * round-trip. A failure prints its seed and path so `--seed` can replay it.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import fc from 'fast-check';
import { ProtocolError, parse, serialize } from '../src/index.ts';
import { isAmbiguous, mutated, packet } from '../test/arbitraries.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1000000' }, seed: { type: 'string' } },
});
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? Date.now() | 0 : Number(values.seed);

function parsesOrRejects(input: string | Uint8Array): void {
  try {
    parse(input);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: properties over different value types share one loop.
const properties: [string, fc.IProperty<any>][] = [
  ['random text', fc.property(fc.string({ unit: 'binary', maxLength: 1400 }), parsesOrRejects)],
  ['random bytes', fc.property(fc.uint8Array({ maxLength: 1400 }), parsesOrRejects)],
  ['mutated packets', fc.property(mutated, parsesOrRejects)],
  [
    'round trip',
    fc.property(packet, ({ value }) => {
      if (isAmbiguous(value)) return;
      const back = parse(serialize(value));
      if (!isDeepStrictEqual(back, value))
        throw new Error(`round trip changed the packet: ${JSON.stringify(back)}`);
    }),
  ],
];

let failed = false;
console.log(`fuzz: ${numRuns} runs per property, seed ${seed}, Node ${process.version}`);
for (const [name, property] of properties) {
  const started = performance.now();
  const details = await fc.check(property, { numRuns, seed, endOnFailure: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    failed = true;
    console.log(
      `FAIL ${name} after ${details.numRuns} runs (${seconds} s): seed ${details.seed}, path "${details.counterexamplePath}"`,
    );
    console.log(`  counterexample: ${JSON.stringify(details.counterexample)}`);
    console.log(`  error: ${String(details.errorInstance)}`);
  } else {
    console.log(`ok   ${name}: ${details.numRuns} runs in ${seconds} s`);
  }
}
process.exit(failed ? 1 : 0);
