/**
 * The long fuzz campaign: `npm run fuzz [-- --runs N --seed S]` (default one million cases per
 * property). Every input must parse to a packet or a ProtocolError; every serializable packet must
 * round-trip, and the generated fast path must agree with the Chevrotain path (the same packet, or
 * both reject with the same error) on generated, mutated, spliced and random inputs. A failure
 * prints its seed and path so `--seed` can replay it. It also reports the
 * slowest single parse and its input size: parsing is linear, so no datagram of up to 1,400 bytes
 * should take more than a few milliseconds to accept or reject. Then `--udp N` batches (default
 * 500) of hostile datagrams go over real UDP to a live server; after each batch the server must
 * have counted every datagram and still answer its registered user.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import fc from 'fast-check';
import { ProtocolError, parse, serialize } from '../src/index.ts';
import { canonical, isAmbiguous, mutated, packet, spliced } from '../test/arbitraries.ts';
import { bothPathsAgree } from '../test/differential.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    udp: { type: 'string', default: '500' },
  },
});
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? Date.now() | 0 : Number(values.seed);

/** The slowest inputs seen; re-timed at the end, since one slow call may be a GC pause. */
const slowest: { ms: number; input: string | Uint8Array }[] = [];

function parseOnce(input: string | Uint8Array): void {
  try {
    parse(input);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

function parsesOrRejects(input: string | Uint8Array): void {
  const started = performance.now();
  parseOnce(input);
  const ms = performance.now() - started;
  if (slowest.length < 10 || ms > (slowest.at(-1)?.ms ?? 0)) {
    slowest.push({ ms, input });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 10);
  }
}

/** Median of 51 timed parses of `input`, in ms. */
function retime(input: string | Uint8Array): number {
  const times: number[] = [];
  for (let i = 0; i < 51; i++) {
    const started = performance.now();
    parseOnce(input);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[25] as number;
}

// biome-ignore lint/suspicious/noExplicitAny: properties over different value types share one loop.
const properties: [string, fc.IProperty<any>][] = [
  ['random text', fc.property(fc.string({ unit: 'binary', maxLength: 1400 }), parsesOrRejects)],
  ['random bytes', fc.property(fc.uint8Array({ maxLength: 1400 }), parsesOrRejects)],
  ['mutated packets', fc.property(mutated, parsesOrRejects)],
  [
    'fast path = Chevrotain path',
    fc.property(
      fc.oneof(packet.map(canonical), mutated, spliced, fc.string({ unit: 'binary', maxLength: 300 })),
      bothPathsAgree,
    ),
  ],
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
const retimed = slowest.map(({ ms, input }) => ({ ms, again: retime(input), size: input.length }));
const worst = retimed.reduce((a, b) => (b.again > a.again ? b : a));
console.log(
  `slowest parses: first seen ${retimed.map((r) => r.ms.toFixed(2)).join(', ')} ms; ` +
    `re-timed (median of 51) at most ${worst.again.toFixed(3)} ms, for an input of ${worst.size} characters or bytes`,
);
failed = (await udpCampaign(Number(values.udp))) || failed;
process.exit(failed ? 1 : 0);

/** Hostile datagrams to a live server over UDP on 127.0.0.1; true when something failed. */
async function udpCampaign(batches: number): Promise<boolean> {
  if (batches <= 0) return false;
  const { createSocket } = await import('node:dgram');
  const { createServer, createUserNode } = await import('../src/node/index.ts');
  const { hostileDatagram } = await import('../test/node/hostile-datagrams.ts');
  const r = (n: number) => Math.floor(Math.random() * n);
  const channel = { ip: `239.255.${r(256)}.${1 + r(254)}`, port: 20000 + r(40000) };
  const hub = createServer({ alias: 'hub', channels: [channel], rateLimits: false });
  hub.on('warning', () => {}); // undecodable datagrams are the point here
  await hub.start();
  const bob = createUserNode({ alias: 'bob', server: hub.self, keepAlive: 0 });
  await bob.start();
  const eve = createSocket('udp4');
  await new Promise<void>((resolve) => eve.bind(0, '127.0.0.1', resolve));
  const sample = fc.sample(fc.array(hostileDatagram(eve.address().port), { minLength: 1, maxLength: 50 }), {
    numRuns: batches,
    seed,
  });
  const started = performance.now();
  let sent = 0;
  let problem: string | undefined;
  for (const [i, batch] of sample.entries()) {
    const before = hub.counters.received;
    for (const data of batch) eve.send(data, hub.self.port, '127.0.0.1');
    sent += batch.length;
    const deadline = Date.now() + 5000;
    while (hub.counters.received - before < batch.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (hub.counters.received - before < batch.length) problem = `batch ${i}: not every datagram was counted`;
    else if (!(await bob.list()).some((u) => u.alias === 'bob')) problem = `batch ${i}: bob is not listed`;
    if (problem) break;
  }
  eve.close();
  await bob.close();
  await hub.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problem) console.log(`FAIL udp: ${problem} (seed ${seed})`);
  else
    console.log(
      `ok   udp: ${sent} hostile datagrams in ${sample.length} batches in ${seconds} s; counters ${JSON.stringify(hub.counters)}`,
    );
  return problem !== undefined;
}
