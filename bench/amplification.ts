/**
 * Amplification by an unknown (possibly forged) source: `npm run bench:amplification`. For each
 * command such a source can send, the bytes the server sent because of one datagram, to that
 * source and in all, over the bytes it carried. Exact counts, not timings: one run is enough.
 */
import { measureAmplification } from '../test/node/amplification.ts';
import { saveResults } from './lib/results.ts';

const rows = await measureAmplification();
console.log(`amplification by one datagram from an unknown source (Node ${process.version})`);
console.log(
  `${'command'.padEnd(30)} ${'in'.padStart(5)} ${'to source'.padStart(10)} ${'ratio'.padStart(6)} ${'in all'.padStart(7)} ${'ratio'.padStart(6)}`,
);
for (const r of rows) {
  const ratio = (n: number) => (n / r.bytesIn).toFixed(2).padStart(6);
  console.log(
    `${r.command.padEnd(30)} ${String(r.bytesIn).padStart(5)} ${String(r.toSource).padStart(10)} ${ratio(r.toSource)} ${String(r.total).padStart(7)} ${ratio(r.total)}`,
  );
}
console.log(
  `results: ${saveResults('amplification', { source: 'one datagram from an unknown source' }, { rows })}`,
);
