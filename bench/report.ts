/**
 * Turns bench/results/*.json into docs/performance.md and its charts in docs/charts/ (and the
 * amplification chart docs/security.md shows): `npm run bench:report`, run last by `npm run bench`.
 * Every figure on the page comes from the results files; nothing is typed in by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barChart, lineChart } from './lib/charts.ts';
import { playgroundSection, playgroundTarget, spliceIntoPage } from './lib/playground-report.ts';
import { fmt, type Machine, resultsFolder, type Spread } from './lib/results.ts';

const docs = join(import.meta.dirname, '..', 'docs');
const charts = join(docs, 'charts');
mkdirSync(charts, { recursive: true });

// biome-ignore lint/suspicious/noExplicitAny: the results files are this project's own JSON
type Json = any;
function load(name: string): Json | undefined {
  const file = join(resultsFolder, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
function chart(name: string, svg: string): string {
  writeFileSync(join(charts, `${name}.svg`), svg);
  return `![${name}](charts/${name}.svg)`;
}
const range = (s: Spread, digits = 0, unit = '') =>
  `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
const times = (s: Spread) => `${fmt(s.median, 2)}× (${fmt(s.min, 2)}–${fmt(s.max, 2)})`;
const met = (value: number, target: number) => (value >= target ? 'met' : '**not met**');
const perSecond = (n: number) => `${fmt(n)}/s`;

const codec = load('codec');
const server = load('server');
const fanout = load('fanout');
const growth = load('growth');
const failover = load('failover');
const amplification = load('amplification');
const loadRun = load('load');
const playground = load('playground');

const natsRun = load('nats');

/** The heading the NATS section starts with. */
const NATS_HEADING = '## Across sites: NATS against UDP';

const simScale = load('sim-scale');

/** The heading the simulator's growth section starts with. */
const SIM_SCALE_HEADING = '## Growth in virtual time: the simulator';

const federation = load('federation');

/** The heading the federation's growth section starts with. */
const FEDERATION_HEADING = '## Growth of a federation in virtual time';

// `--only playground`, `--only nats`, `--only sim-scale` or `--only federation`: that benchmark was run alone;
// every other figure on the page stays.
if (process.argv.includes('--only')) {
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const page = join(docs, 'performance.md');
  const text = readFileSync(page, 'utf8');
  if (only === 'playground' && playground) writeFileSync(page, spliceIntoPage(text, playground));
  else if (only === 'nats' && natsRun)
    writeFileSync(page, spliceSection(text, NATS_HEADING, natsSection(natsRun)));
  else if (only === 'sim-scale' && simScale)
    writeFileSync(page, spliceSection(text, SIM_SCALE_HEADING, simScaleSection(simScale)));
  else if (only === 'federation' && federation)
    writeFileSync(page, spliceSection(text, FEDERATION_HEADING, federationSection(federation)));
  else
    throw new Error(
      '--only takes playground, nats, sim-scale or federation, and needs its bench/results/NAME.json',
    );
  console.log(`wrote the ${only} part of docs/performance.md`);
  process.exit(0);
}

/**
 * `page` with the section under `heading` replaced by `blocks` (the heading first), or, when it
 * has none, with them added before the Amplification section (or at the end).
 */
function spliceSection(page: string, heading: string, blocks: string[]): string {
  const lines = page.trimEnd().split('\n');
  const section = blocks.flatMap((block) => [block, '']);
  let start = lines.indexOf(heading);
  let end = start + 1;
  if (start >= 0) while (end < lines.length && !lines[end]?.startsWith('## ')) end++;
  else {
    start = lines.indexOf('## Amplification');
    if (start < 0) start = lines.length;
    end = start;
  }
  lines.splice(start, end - start, ...section);
  return `${lines.join('\n').trimEnd()}\n`;
}
const machine: Machine | undefined = (codec ?? server ?? fanout ?? growth)?.machine;

const out: string[] = [];
/** Adds blocks (headings, paragraphs, tables, images), each followed by a blank line. */
const p = (...blocks: string[]) => {
  for (const block of blocks) if (block) out.push(block, '');
};

p(
  '# Performance',
  '<!-- Written by `npm run bench` (bench/report.ts) from bench/results/*.json; do not edit by hand. -->',
  'Every figure here was measured by `npm run bench` on one machine in one run, and every comparison is ' +
    'a ratio against a baseline measured in the same run: timings on a shared machine are noisy, so a ratio ' +
    'says more than a rate. Rates are medians, with the minimum and maximum over the runs in parentheses.',
);
if (machine) {
  p(
    `Machine: Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu}); measured ${machine.date.slice(0, 10)}.`,
  );
}

const targets: string[] = ['| target | measured | |', '| --- | --- | --- |'];
if (codec) {
  const { ratios, coldStart } = codec;
  targets.push(
    `| \`parse\` ≥ 0.75× the hand-written parser (mixed corpus) | ${times(ratios.parse)} | ${met(ratios.parse.median, 0.75)} |`,
    `| \`parse\` ≥ 0.6× the hand-written parser (large replies) | ${times(ratios.parseLarge)} | ${met(ratios.parseLarge.median, 0.6)} |`,
    `| \`serialize\` ≥ 0.8× an unvalidated template | ${times(ratios.serialize)} | ${met(ratios.serialize.median, 0.8)} |`,
  );
  if (coldStart.builtFirstParse) {
    const extra = coldStart.builtFirstParse.median - coldStart.emptyNode.median;
    const withChevrotain = coldStart.builtFirstError.median - coldStart.emptyNode.median;
    targets.push(
      `| cold start of the built package: extra time ≤ half of what Chevrotain and its parser add | +${fmt(extra)} ms against +${fmt(withChevrotain)} ms | ${met(withChevrotain / 2, extra)} |`,
    );
  }
}
if (server) {
  const ratio = server.server.repliesPerSecond.median / server.echo.repliesPerSecond.median;
  targets.push(`| request/reply ≥ 0.5× a raw UDP echo server | ${fmt(ratio, 2)}× | ${met(ratio, 0.5)} |`);
}
if (fanout) {
  const ratio = fanout.server.deliveredPerSecond.median / fanout.raw.deliveredPerSecond.median;
  targets.push(`| CSEND fan-out ≥ 0.5× raw UDP fan-out | ${fmt(ratio, 2)}× | ${met(ratio, 0.5)} |`);
  if (fanout.aedes) {
    const [ours, theirs] = [fanout.server.deliveredPerSecond, fanout.aedes.deliveredPerSecond];
    // Ahead only when every round of ours beat every round of theirs; overlapping rounds are a tie.
    const verdict =
      ours.min > theirs.max ? 'met' : ours.max < theirs.min ? '**not met**' : 'level: the rounds overlap';
    targets.push(
      `| CSEND fan-out ahead of Aedes (an aim) | ${fmt(ours.median / theirs.median, 2)}× | ${verdict} |`,
    );
  }
}
if (playground) targets.push(playgroundTarget(playground));
p('## Targets', targets.join('\n'));

if (codec) {
  const { rates, ratios, coldStart, bundle } = codec;
  const kB = (bytes: number) => `${fmt(bytes / 1000, 1)} kB`;
  p(
    '## Parser and serializer',
    `\`npm run bench:codec\`. Corpus: ${codec.setup.corpus} (bench/corpus/, checked in). IRC lines for ` +
      `irc-message: ${codec.setup.irc}. Errors: ${codec.setup.errors}. ${codec.setup.time}.`,
    '**How `parse` works.** The Chevrotain grammar in grammar/parser.ts is the one definition of the ' +
      'language, rule for rule as Section IV. `npm run build` compiles it (scripts/generate-parser.ts reads ' +
      "the parser's own grammar and Chevrotain's lookahead analysis) into a plain recursive-descent parser, " +
      'grammar/generated/fast-parser.ts, which matches the token each rule expects in place in the text, ' +
      'with no token objects and no Chevrotain. Both parsers build the packet with the same actions ' +
      '(grammar/actions.ts) and read text with the same scanner and checks (grammar/scanner.ts, values.ts). ' +
      '`parse` runs the generated parser first; whatever it does not accept goes to the Chevrotain path, ' +
      'which throws the ProtocolError, so every error is still worded by the grammar. Chevrotain itself is ' +
      'loaded with `require()` on the first such packet. A test fails when the generated file is stale and ' +
      'holds the two paths equal on the vectors, the corpora and generated, mutated and spliced inputs; ' +
      '`npm run fuzz` does it a million times. Every task below runs in a process of its own.',
    chart(
      'parse',
      barChart('Packets parsed per second (mixed corpus)', [
        { label: "split(' ') (a floor)", value: rates.split.median, text: perSecond(rates.split.median) },
        {
          label: 'hand-written parser',
          value: rates.handwritten.median,
          text: perSecond(rates.handwritten.median),
        },
        {
          label: 'parse',
          value: rates.parse.median,
          text: `${perSecond(rates.parse.median)}, ${fmt(ratios.parse.median, 2)}×`,
          highlight: true,
        },
        {
          label: 'the Chevrotain path alone',
          value: rates.chevrotainPath.median,
          text: `${perSecond(rates.chevrotainPath.median)}, ${fmt(ratios.chevrotainPath.median, 2)}×`,
        },
      ]),
    ),
    [
      '| | packets/s | × hand-written |',
      '| --- | --- | --- |',
      `| hand-written recursive descent (bench/baselines/) | ${range(rates.handwritten)} | 1 |`,
      `| **parse** | ${range(rates.parse)} | ${times(ratios.parse)} |`,
      `| — the Chevrotain path alone (tokenizer and Chevrotain's parser) | ${range(rates.chevrotainPath)} | ${times(ratios.chevrotainPath)} |`,
      `| \`split(' ')\` (a floor: no parser does less) | ${range(rates.split)} | ${times(ratios.split)} |`,
      `| irc-message on IRC lines of the same mean length (a peer, for context) | ${range(rates.ircMessage)} | ${times(ratios.ircMessage)} |`,
      `| hand-written, large replies (50–200 users) | ${range(rates.handwrittenLarge)} | 1 |`,
      `| **parse**, large replies | ${range(rates.parseLarge)} | ${times(ratios.parseLarge)} |`,
      `| — the Chevrotain path alone, large replies | ${range(rates.chevrotainPathLarge)} | ${times(ratios.chevrotainPathLarge)} |`,
    ].join('\n'),
    [
      '| errors (a mistake in every packet) | packets/s | |',
      '| --- | --- | --- |',
      `| the Chevrotain path alone | ${range(rates.chevrotainPathErrors)} | 1 |`,
      `| **parse** (the fast path first, then the Chevrotain path) | ${range(rates.parseErrors)} | ${times(ratios.parseErrors)} |`,
    ].join('\n'),
    `A packet that fails costs about ${fmt(1 / ratios.errorsToValid.median)} valid ones: the fast path gives ` +
      'up, the Chevrotain path parses it again and the ProtocolError is built. Trying the fast path first ' +
      `costs errors ${fmt(100 * (1 - ratios.parseErrors.median))}% of their rate against the Chevrotain path alone.`,
    chart(
      'serialize',
      barChart('Packets serialized per second (mixed corpus)', [
        {
          label: 'template, unvalidated',
          value: rates.template.median,
          text: perSecond(rates.template.median),
        },
        {
          label: 'serialize',
          value: rates.serialize.median,
          text: `${perSecond(rates.serialize.median)}, ${fmt(ratios.serialize.median, 2)}×`,
          highlight: true,
        },
      ]),
    ),
    [
      '| | packets/s | × template |',
      '| --- | --- | --- |',
      `| template strings, no checks (bench/baselines/) | ${range(rates.template)} | 1 |`,
      `| **serialize**, every field checked | ${range(rates.serialize)} | ${times(ratios.serialize)} |`,
    ].join('\n'),
    '`serialize` checks every name, address, port and message (characters, ranges, NUL, lone surrogates) ' +
      'so that what it writes always parses back to the same packet; the template writes whatever it is ' +
      'given. The checks read every character of every field once more than the template does, and the ' +
      'template takes about two hundred nanoseconds per packet, so the checks show.',
    `**Cold start.** From spawning Node to the end of the first \`parse\`, against \`node -e ''\` ` +
      `(${range(coldStart.emptyNode, 0, ' ms')}):`,
    [
      '| | ms | more than `node -e` |',
      '| --- | --- | --- |',
      ...Object.entries({
        'the built package (dist/index.js), a valid packet': coldStart.builtFirstParse,
        'the built package, a packet with an error (Chevrotain loaded, its parser built)':
          coldStart.builtFirstError,
        'the built CommonJS package (dist/index.cjs), a valid packet': coldStart.builtCjsFirstParse,
        'the TypeScript sources (src/index.ts, types stripped by Node)': coldStart.firstParse,
      })
        .filter(([, s]) => s !== undefined)
        .map(
          ([label, s]) =>
            `| ${label} | ${range(s as Spread, 0)} | +${fmt((s as Spread).median - coldStart.emptyNode.median)} |`,
        ),
    ].join('\n'),
    `**Size.** The codec in a browser bundle (minified ESM): ${kB(bundle.withChevrotain.minified)} ` +
      `(${kB(bundle.withChevrotain.gzip)} gzip) with Chevrotain, ${kB(bundle.withoutChevrotain.minified)} ` +
      `(${kB(bundle.withoutChevrotain.gzip)} gzip) without it: the fast path alone needs no Chevrotain, ` +
      'only error messages do (bench/lib/bundle-size.ts).',
  );
}

if (playground) p(...playgroundSection(playground));

if (server) {
  const s = server.server;
  const e = server.echo;
  const ratio = s.repliesPerSecond.median / e.repliesPerSecond.median;
  p(
    '## Reference server: request and reply',
    `\`npm run bench:server\`. A load generator in its own process keeps ${server.setup.inflight} requests in ` +
      `flight (${server.setup.requests}) against one server process, and against a raw UDP echo server in ` +
      `another; ${server.setup.rounds} rounds of ${server.setup.secondsPerRound} s each, alternating.`,
    chart(
      'request-reply',
      barChart(`Replies per second, ${server.setup.inflight} requests in flight`, [
        {
          label: 'raw UDP echo',
          value: e.repliesPerSecond.median,
          text: perSecond(e.repliesPerSecond.median),
        },
        {
          label: 'reference server',
          value: s.repliesPerSecond.median,
          text: `${perSecond(s.repliesPerSecond.median)}, ${fmt(ratio, 2)}×`,
          highlight: true,
        },
      ]),
    ),
    [
      '| | replies/s | p50 latency | p99 latency | lost |',
      '| --- | --- | --- | --- | --- |',
      `| raw UDP echo | ${range(e.repliesPerSecond)} | ${fmt(e.p50.median, 2)} ms | ${fmt(e.p99.median, 2)} ms | ${e.lost} |`,
      `| **reference server** | ${range(s.repliesPerSecond)} | ${fmt(s.p50.median, 2)} ms | ${fmt(s.p99.median, 2)} ms | ${s.lost} |`,
    ].join('\n'),
  );
}

if (fanout) {
  const s = fanout.server;
  const r = fanout.raw;
  const a = fanout.aedes;
  const ratio = s.deliveredPerSecond.median / r.deliveredPerSecond.median;
  const row = (name: string, t: Json) =>
    `| ${name} | ${range(t.deliveredPerSecond)} | ${fmt(t.p50.median, 2)} ms | ${fmt(t.p99.median, 2)} ms | ${fmt(t.delivered)} of ${fmt(t.expected)} |`;
  p(
    '## Reference server: fan-out to a room',
    `\`npm run bench:fanout\`. One sender keeps ${fanout.setup.window} CSENDs unacknowledged into a room of ` +
      `${fanout.setup.members} members whose sockets live in another process. The raw baseline is a bare ` +
      'relay that sends each datagram on to the same number of sockets (and back to the sender, as the ' +
      "server's +OK). Aedes, an MQTT broker for Node, carries the same payload from one publisher to " +
      `${fanout.setup.members} subscribers over TCP at QoS 0 (the publisher subscribes too, and its own copy ` +
      `is its acknowledgement). ${fanout.setup.rounds} rounds of ${fanout.setup.secondsPerRound} s each, ` +
      `taking turns. Message: ${fanout.setup.message}.`,
    chart(
      'fanout',
      barChart(`Deliveries per second into a room of ${fanout.setup.members}`, [
        {
          label: 'raw UDP fan-out',
          value: r.deliveredPerSecond.median,
          text: perSecond(r.deliveredPerSecond.median),
        },
        ...(a
          ? [
              {
                label: 'Aedes (MQTT, TCP)',
                value: a.deliveredPerSecond.median,
                text: perSecond(a.deliveredPerSecond.median),
              },
            ]
          : []),
        {
          label: 'reference server',
          value: s.deliveredPerSecond.median,
          text: `${perSecond(s.deliveredPerSecond.median)}, ${fmt(ratio, 2)}× raw`,
          highlight: true,
        },
      ]),
    ),
    [
      '| | deliveries/s | p50 latency | p99 latency | delivered |',
      '| --- | --- | --- | --- | --- |',
      row('raw UDP fan-out', r),
      ...(a ? [row('Aedes (MQTT over TCP)', a)] : []),
      row('**reference server**', s),
    ].join('\n'),
    a
      ? `The reference server delivers ${fmt(s.deliveredPerSecond.median / a.deliveredPerSecond.median, 2)}× what Aedes ` +
          'delivers in the same run; the server sends one datagram per member per message, and parses and ' +
          'checks every CSEND before it fans it out.'
      : '',
  );
}

if (growth) {
  const rows: Json[] = growth.rows;
  const atServer = (percentile: 50 | 99): number[] =>
    rows.map((r) => (percentile === 50 ? r.findAtServer.p50 : r.findAtServer.p99) * 1000);
  const first = rows[0];
  const last = rows[rows.length - 1];
  p(
    '## Growth with the number of users',
    `\`npm run bench:growth\`. ${growth.setup.servers} servers in one process on the in-memory network (which ` +
      `lets one process speak from ${fmt(last.users)} addresses), users spread evenly, gossip every ` +
      `${growth.setup.gossipInterval}; measured once every directory has heard every server.`,
    [
      '| users | heap after GC | per user | per user and server | FIND at the server, p50 / p99 | FIND end to end, p50 / p99 | gossip per server |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${fmt(r.users)} | ${fmt(r.heapBytes / 2 ** 20, 1)} MiB | ${fmt(r.bytesPerUser)} B | ` +
          `${fmt(r.bytesPerUserPerServer)} B | ${fmt(r.findAtServer.p50 * 1000)} / ${fmt(r.findAtServer.p99 * 1000)} µs | ` +
          `${fmt(r.find.p50, 2)} / ${fmt(r.find.p99, 2)} ms | ${fmt(r.gossipBytesPerSecondPerServer / 1024, 1)} KiB/s |`,
      ),
    ].join('\n'),
    chart(
      'growth-memory',
      lineChart(
        'Heap per user, whole network, after GC',
        { x: 'users', y: 'bytes per user' },
        [{ name: 'bytes per user', points: rows.map((r) => [r.users, r.bytesPerUser] as const) }],
        (y) => `${fmt(y)} B`,
      ),
    ),
    chart(
      'growth-find',
      lineChart(
        'FIND handled at the server',
        { x: 'users', y: 'microseconds' },
        [
          { name: 'p50', points: rows.map((r) => [r.users, r.findAtServer.p50 * 1000] as const) },
          { name: 'p99', points: rows.map((r) => [r.users, r.findAtServer.p99 * 1000] as const) },
        ],
        (y) => `${fmt(y)} µs`,
      ),
    ),
    chart(
      'growth-gossip',
      lineChart(
        'Gossip sent per server',
        { x: 'users', y: 'KiB per second' },
        [
          {
            name: 'KiB/s',
            points: rows.map((r) => [r.users, r.gossipBytesPerSecondPerServer / 1024] as const),
          },
        ],
        (y) => `${fmt(y, 1)} KiB/s`,
      ),
    ),
    `**How each cost grows.** Memory grows linearly with the users: ${fmt(first.bytesPerUser)} bytes per ` +
      `user at ${fmt(first.users)} users and ${fmt(last.bytesPerUser)} at ${fmt(last.users)}, one registry ` +
      'entry on the user’s server and one directory entry on each other server. Gossip grows linearly with ' +
      'the users a server hosts, as every interval each server multicasts its whole user list: ' +
      `${fmt(first.gossipBytesPerSecondPerServer / 1024, 1)} KiB/s per server at ${fmt(first.users)} users, ` +
      `${fmt(last.gossipBytesPerSecondPerServer / 1024, 1)} KiB/s at ${fmt(last.users)}. A FIND at the server is ` +
      `a map lookup: its median stays flat (${fmt(Math.min(...atServer(50)))}–${fmt(Math.max(...atServer(50)))} µs) ` +
      `and its p99 under ${fmt(Math.max(...atServer(99)))} µs. End to end, the median is the in-memory ` +
      `network’s timers (about a millisecond a hop), and the p99 ${rows.every((r, i) => i === 0 || r.find.p99 > rows[i - 1].find.p99) ? 'grows with' : 'varies with'} the users ` +
      `(${rows.map((r) => `${fmt(r.find.p99, 0)} ms`).join(', ')}): a FIND that arrives during a gossip round ` +
      'waits while the servers parse that round’s KNOWNUSERS datagrams, and there are more of them the more ' +
      'users there are.',
  );
}

if (simScale) p(...simScaleSection(simScale));
if (federation) p(...federationSection(federation));

/** The simulator's growth section (bench/sim-scale.ts), heading first. */
function simScaleSection(simScale: Json): string[] {
  const rows: Json[] = simScale.rows;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const skipped: Json[] = simScale.skipped ?? [];
  const perNode = (r: Json) => r.wallSeconds / (r.servers + r.users);
  return [
    SIM_SCALE_HEADING,
    `\`npm run bench:sim-scale\`. The simulator (docs/simulation.md) runs real servers and real user nodes, ` +
      `each with its own timers, keep-alives and failover, on the in-memory network in virtual time: ` +
      `${simScale.setup.usersPerServer} users per server, servers on channels of 10 joined in a chain by ` +
      `bridging servers, the simulator's workload (SEND, FIND, rooms, renames, users coming and going), no faults, ` +
      `${simScale.setup.minutes} virtual minute of workload plus 30 s for the checks. Bytes are what each node ` +
      'sends (a multicast counted once), per virtual second.',
    [
      '| servers | users | channels | wall time | sent per server | sent per user | FIND p50 / p99 (virtual) | heap per server | violations |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${fmt(r.servers)} | ${fmt(r.users)} | ${fmt(r.channels)} | ${fmt(r.wallSeconds, 1)} s | ` +
          `${fmt(r.serverDatagramsPerSecond, 1)} datagrams, ${fmt(r.serverBytesPerSecond / 1024, 2)} KiB/s | ` +
          `${fmt(r.userBytesPerSecond)} B/s | ${fmt(r.find.p50)} / ${fmt(r.find.p99)} ms | ` +
          `${fmt(r.heapBytesPerServer / 1024)} KiB | ${fmt(r.violations)} |`,
      ),
    ].join('\n'),
    skipped.length > 0
      ? `Not run: ${skipped.map((k) => `${fmt(k.servers)} servers and ${fmt(k.users)} users (${k.why})`).join('; ')}.`
      : '',
    `**Where it stops on this machine.** Wall time per simulated node grows from ${fmt(perNode(first) * 1000)} ms ` +
      `(${fmt(first.servers)} servers) to ${fmt(perNode(last) * 1000)} ms (${fmt(last.servers)} servers) for the same ` +
      'virtual time: every node is a full node, and every timer and delivery is one turn of the virtual clock, ' +
      'run one after another in one process. 100,000 user nodes at that rate is hours of wall time per virtual ' +
      'minute; memory is not what stops it (the heap per server, user nodes included, stays in the low hundreds ' +
      'of KiB). `npm run bench:growth` (50,000 users on 10 servers) and `npm run bench:federation` (below) ' +
      'go further by registering users from raw addresses instead of running a node for each.',
    `**How each cost grows.** What a server sends per second grows slowly with the size of the network ` +
      `(${fmt(first.serverBytesPerSecond / 1024, 2)} KiB/s at ${fmt(first.servers)} servers, ` +
      `${fmt(last.serverBytesPerSecond / 1024, 2)} KiB/s at ${fmt(last.servers)}): gossip goes to a server's own ` +
      'channels only, and a server lists its own users and its neighbours, so it grows with the users it hosts ' +
      'and its neighbours, not with the network. FIND latency grows with the distance in channels: ' +
      `${fmt(first.find.p50)} ms (p50) on one channel, ${fmt(last.find.p50)} ms / ${fmt(last.find.p99)} ms (p50 / p99) ` +
      `across ${fmt(last.channels)} channels in a chain, as a FIND for a user whose server is not gossiped here is ` +
      'flooded hop by hop through the bridges (and is answered from the first directory that knows it).',
  ].filter((block) => block !== '');
}

/** The federation's growth section (bench/federation.ts), heading first. */
function federationSection(run: Json): string[] {
  const rows: Json[] = run.rows;
  const skipped: Json[] = run.skipped ?? [];
  const kib = (bytes: number, digits = 1) => `${fmt(bytes / 1024, digits)} KiB`;
  // The costs compared across sizes: the rows with the most common number of users per server.
  // Growth is read from the default (the whole list every interval); incremental gossip is compared beside it.
  const whole = rows.filter((r) => r.fullListEvery === 1);
  const perServer = whole.map((r) => r.usersPerServer);
  const common = perServer.sort(
    (a, b) => perServer.filter((x) => x === b).length - perServer.filter((x) => x === a).length,
  )[0];
  const series = whole.filter((r) => r.usersPerServer === common).sort((a, b) => a.servers - b.servers);
  const pairs = whole
    .map((r) => [r, rows.find((i) => i.fullListEvery > 1 && i.servers === r.servers && i.users === r.users)])
    .filter(([, i]) => i !== undefined);
  const [small, large] = [series[0], series[series.length - 1]];
  const biggest = [...rows].sort(
    (a, b) => b.servers - a.servers || b.users - a.users || b.wallSeconds - a.wallSeconds,
  )[0];
  // A run that follows another size's run in one process measures that run's garbage too: the heap
  // is shown for the first run of each size (the whole list every interval, which runs first).
  const heapShown = (r: Json) =>
    r.fullListEvery === 1 || !whole.some((w) => w.servers === r.servers && w.users === r.users);
  const share = (r: Json) => r.gossipBytesPerServerPerSecond.knownUsers / r.gossipBytesPerServerPerSecond.all;
  const perUserRound = (r: Json) =>
    (r.gossipBytesPerServerPerSecond.knownUsers * (Number.parseFloat(run.setup.gossipInterval) / 1000)) /
    r.usersPerServer;
  const floodPerServer = (r: Json) => r.find.serverDatagramsPerFind / r.servers;
  const phases = (r: Json) =>
    Object.entries(r.wallSecondsByPhase as Record<string, number>)
      .map(([name, seconds]) => `${name} ${fmt(seconds)} s`)
      .join(', ');
  return [
    FEDERATION_HEADING,
    `\`npm run bench:federation\`. Real servers (every timer and mechanism of the reference server) on the ` +
      `in-memory network in virtual time (${run.setup.delay}), on channels of ${run.setup.channelSize} servers ` +
      'joined in a chain by bridging servers, gossip every ' +
      `${run.setup.gossipInterval}. Users are registered from their own addresses with one PREFERRED each and ` +
      'then stay idle (a full user node for each would take hours of wall time, as the section above shows); ' +
      `ten real user nodes spread over the chain ask ${fmt(run.setup.finds)} FINDs for users anywhere. Gossip is ` +
      'what a server sends per virtual second (a multicast counted once per channel). Hops are the relays ' +
      'between servers the answering copy of a FIND passed through (0: the finder’s own server knew); its latency ' +
      'is virtual: the network’s delay per hop, with no time for processing (that is the wall time). A FIND’s ' +
      'datagrams are all the copies servers sent one another for it; its wall time is what all the servers ' +
      'spent on it. Convergence: the chain is cut in the middle for 8 gossip intervals, so each half forgets ' +
      'the other, then healed; it is the virtual time until every server has its neighbours back and as many ' +
      'directory entries as before the cut.',
    [
      '| servers | users | channels | whole list every | gossip per server: KNOWNUSERS / KNOWNSERVERS | KNOWNUSERS per arrival | directory per server | heap per server | FIND hops p50 / p99 | FIND p50 / p99 (virtual) | datagrams per FIND | wall per FIND | convergence after a heal | wall time |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${fmt(r.servers)} | ${fmt(r.users)} | ${fmt(r.channels)} | ${r.fullListEvery === 1 ? 'interval' : `${fmt(r.fullListEvery)} intervals`} | ` +
          `${kib(r.gossipBytesPerServerPerSecond.knownUsers, 2)}/s / ${fmt(r.gossipBytesPerServerPerSecond.knownServers)} B/s | ` +
          `${fmt(r.gossipBytesPerArrival)} B | ` +
          `${fmt(r.directoryPerServer)} entries | ${heapShown(r) ? `${fmt(r.heapBytesPerServer / 1024 / 1024, 2)} MiB` : 'as above'} | ` +
          `${fmt(r.find.hops.p50)} / ${fmt(r.find.hops.p99)} | ${fmt(r.find.latencyMs.p50)} / ${fmt(r.find.latencyMs.p99)} ms | ` +
          `${fmt(r.find.serverDatagramsPerFind)} | ${fmt(r.find.wallMsPerFind, 2)} ms | ` +
          `${Number.isFinite(r.convergenceMs) ? `${fmt(r.convergenceMs / 1000, 2)} s` : 'not within 30 intervals'} | ` +
          `${fmt(r.wallSeconds)} s |`,
      ),
    ].join('\n'),
    skipped.length > 0
      ? `Not run: ${skipped.map((k) => `${fmt(k.servers)} servers and ${fmt(k.users)} users (${k.why})`).join('; ')}.`
      : '',
    `**How each cost grows** (${fmt(common)} users per server, ${fmt(small.servers)} to ${fmt(large.servers)} servers). ` +
      `Gossip per server stays nearly flat (${kib(small.gossipBytesPerServerPerSecond.all, 2)}/s to ` +
      `${kib(large.gossipBytesPerServerPerSecond.all, 2)}/s, the rise being the bridges, which send on two channels): ` +
      'a server gossips its own users, so the bytes grow linearly with the users it hosts, not with the network. ' +
      `KNOWNUSERS is ${fmt(Math.min(...whole.map(share)) * 100)}% or more of it: the whole user list again every ` +
      `interval, about ${fmt(perUserRound(large))} bytes per user per round, while KNOWNSERVERS is tens of bytes. ` +
      `A directory holds the users of a server’s channels (${fmt(large.directoryPerServer)} entries), so memory ` +
      `per server also stays flat (${fmt(small.heapBytesPerServer / 1024 / 1024, 2)} to ` +
      `${fmt(large.heapBytesPerServer / 1024 / 1024, 2)} MiB, about ${fmt(large.heapBytesPerServer / large.directoryPerServer)} ` +
      'bytes per directory entry). FIND does not: one FIND for a user beyond the finder’s channels is flooded to ' +
      `every server once, so its datagrams grow with the servers (${fmt(small.find.serverDatagramsPerFind)} at ` +
      `${fmt(small.servers)} servers, ${fmt(large.find.serverDatagramsPerFind)} at ${fmt(large.servers)}: about ` +
      `${fmt(floodPerServer(large), 1)} per server), and so does the servers’ wall time for it ` +
      `(${fmt(small.find.wallMsPerFind, 2)} ms to ${fmt(large.find.wallMsPerFind, 2)} ms). With every user asking ` +
      'FINDs at a fixed rate, the FIND traffic each server handles grows with the users of the whole network, ' +
      'and the network’s total with users × servers: **FIND is the cost that grows faster than linearly**. ' +
      `Hops and latency grow with the length of the chain (p99 ${fmt(large.find.hops.p99)} hops, ` +
      `${fmt(large.find.latencyMs.p99)} ms over ${fmt(large.channels)} channels); convergence after a heal stays ` +
      `within about two gossip intervals (${whole.map((r) => `${fmt(r.convergenceMs / 1000, 2)} s`).join(', ')}): the ` +
      'halves greet each other on the first gossip they hear and then exchange full lists.',
    pairs.length > 0
      ? '**Incremental gossip, before and after** (`fullListEvery`, docs/protocol.md; the same runs with the whole ' +
        'list every interval and with it every few intervals, newcomers only between). ' +
        pairs
          .map(
            ([r, i]) =>
              `${fmt(r.servers)} servers and ${fmt(r.users)} users: KNOWNUSERS ${kib(r.gossipBytesPerServerPerSecond.knownUsers, 2)}/s ` +
              `→ ${kib(i.gossipBytesPerServerPerSecond.knownUsers, 2)}/s per server ` +
              `(${fmt(r.gossipBytesPerServerPerSecond.knownUsers / i.gossipBytesPerServerPerSecond.knownUsers, 1)}× less), ` +
              `${fmt(r.gossipBytesPerArrival)} → ${fmt(i.gossipBytesPerArrival)} bytes per arrival, ` +
              `${fmt(r.rateLimitedWhileRegistering)} → ${fmt(i.rateLimitedWhileRegistering)} gossip datagrams dropped over ` +
              `neighbours’ rate limits while the users registered, wall time ${fmt(r.wallSeconds)} s → ${fmt(i.wallSeconds)} s`,
          )
          .join('; ') +
        '. Without it a server multicasts its whole list for every user who arrives (coalesced only within one ' +
        'turn of the event loop), so the bytes an arrival costs grow with the users the server hosts, and a burst ' +
        'of arrivals (a server restarting, users coming back after a partition) outruns its neighbours’ rate ' +
        'limit (500 datagrams/s from a neighbour) and loses gossip until the next round. Departures still send ' +
        'the whole list at once, as the grammar has no other way to say a user left.'
      : '',
    `**Where it stops on this machine.** The largest run, ${fmt(biggest.servers)} servers and ${fmt(biggest.users)} ` +
      `users, took ${fmt(biggest.wallSeconds)} s of wall time for ${fmt(biggest.virtualSeconds)} virtual seconds ` +
      `(${phases(biggest)}) and ${fmt((biggest.heapBytesPerServer * biggest.servers) / 1024 / 1024)} MiB of heap: ` +
      'memory is not the limit (24 GiB here), the wall time of one process running every server’s parsing of ' +
      'every gossip round is.' +
      (biggest.servers > large.servers
        ? ` With the whole list every interval, ${fmt(large.servers)} servers and ${fmt(large.users)} users took ` +
          `${fmt(large.wallSeconds)} s; at that wall time per user, ${fmt(biggest.users)} users would take about ` +
          `${fmt((large.wallSeconds / large.users) * biggest.users)} s, over the 20 minutes one run may take here, ` +
          'so that size was run with incremental gossip only.'
        : ''),
    '**What breaks first at internet scale, and what the protocol would need.** ' +
      `(1) FIND flooding: ${fmt(floodPerServer(large), 1)} datagrams per server per FIND means a network of ` +
      `100,000 servers sends about ${fmt(floodPerServer(large) * 100_000)} datagrams for one FIND of a user beyond ` +
      'the finder’s channels, and every server handles every such FIND of every user. It needs routing instead of ' +
      'flooding: a distributed hash table keyed by alias (Kademlia finds a key in O(log n) hops), or hierarchical ' +
      'directories as DNS has; Section IV has no field for a hop limit, so even bounding the flood needs new ' +
      `grammar. (2) Whole-list gossip: ${fmt(perUserRound(large))} bytes per user per interval on every channel of ` +
      'the server, parsed by every neighbour, and again for every arrival: a server of 100,000 users would ' +
      `multicast ${kib((perUserRound(large) * 100_000) / (Number.parseFloat(run.setup.gossipInterval) / 1000), 0)}/s ` +
      'at rest, and each neighbour would parse that from each such server. Incremental gossip (above) removes ' +
      'most of it within the grammar, but only among servers that read a list of newcomers as additions: a ' +
      'server before it takes such a list for a whole round. Interoperating with every server would need the ' +
      'grammar to tell a delta from a round (a verb for it, or a round marker), and departures to be said ' +
      'rather than left out. (3) Unique ' +
      'aliases: a server knows only its neighbours and theirs (KNOWNSERVERS names neighbours), so a collision is ' +
      'seen, and passed on to both holders (src/node/server/collisions.ts), only when some server is within two ' +
      'hops of each holder: across a chain of up to four channels. Two servers further apart that claim one ' +
      'alias while apart keep it; global uniqueness would need claims that travel as far as FIND does, or a ' +
      'registry.',
  ].filter((block) => block !== '');
}

if (failover) {
  const row = (name: string, s: Spread) =>
    `| ${name} | ${fmt(s.median)} ms | ${fmt(s.min)}–${fmt(s.max)} ms |`;
  p(
    '## Failover and return',
    `\`npm run bench:failover\`: ${failover.setup.cycles} SIGKILL cycles of a real server process, ` +
      `T = ${failover.setup.T} ms, N = ${failover.setup.N}; bound (N + 1) × T + 500 ms = ${failover.bound} ms (the first silent try, then N tries of the PREFERRED that checks the server lives).`,
    [
      '| | median | min–max |',
      '| --- | --- | --- |',
      row('failover: first unanswered send to registered on a backup', failover.failover),
      row('return home, from the restarted server listening', failover.returnHomeFromListening),
      row('return home, from spawning the server process', failover.returnHomeFromSpawn),
    ].join('\n'),
  );
}

if (loadRun) {
  const { setup, result } = loadRun;
  p(
    '## Load: every message accounted for',
    `\`npm run bench:load\`: ${fmt(setup.users)} user nodes on 3 servers on loopback (real UDP, one process), ` +
      `in rooms, sending ${fmt(setup.rate)} messages/s for ${setup.seconds} s, ${fmt(setup.roomShare * 100)}% of them ` +
      'to rooms. Every message is delivered exactly once, refused with -ERR, or counted as lost.',
    chart(
      'load-latency',
      barChart(`Direct-message latency at ${fmt(setup.rate)} messages/s`, [
        { label: 'p50', value: result.p50, text: `${fmt(result.p50, 1)} ms`, highlight: true },
        { label: 'p99', value: result.p99, text: `${fmt(result.p99, 1)} ms`, highlight: true },
      ]),
    ),
    [
      '| sent | accepted | refused | failed | SEND delivered once | duplicated | lost | CSEND deliveries | delivered/s |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${fmt(result.sent)} | ${fmt(result.accepted)} | ${fmt(result.refused)} | ${fmt(result.failed)} | ` +
        `${fmt(result.sendDeliveredOnce)} | ${fmt(result.sendDuplicated)} | ${fmt(result.sendLost)} | ` +
        `${fmt(result.roomDelivered)} of ${fmt(result.roomExpected)} | ${fmt(result.deliveredPerSecond)} |`,
    ].join('\n'),
  );
}

if (natsRun) p(...natsSection(natsRun));

if (amplification) {
  // Drawn for docs/security.md, which shows it beside the threat model.
  chart(
    'amplification',
    barChart(
      'Bytes sent per byte received from an unknown source',
      (amplification.rows as Json[]).map((r) => ({
        label: r.command,
        value: (r.unicast ?? r.total) / r.bytesIn,
        text: `${fmt(r.toSource / r.bytesIn, 2)} to it, ${fmt((r.unicast ?? r.total) / r.bytesIn, 2)} to unicast addresses, ${fmt(r.total / r.bytesIn, 2)} with multicast`,
        highlight: r.total > 0,
      })),
      { value: 3, label: "3: QUIC's anti-amplification limit" },
    ),
  );
  p(
    '## Amplification',
    'Exact byte counts, not timings: the chart is in [security.md](security.md#measured), with the threat model.',
  );
}

writeFileSync(join(docs, 'performance.md'), `${out.join('\n').trimEnd()}\n`);
console.log(`wrote docs/performance.md and docs/charts/*.svg from ${resultsFolder}`);

/** The NATS section's blocks, from bench/results/nats.json. */
function natsSection(natsRun: Json): string[] {
  const { setup, requestReply, fanout: natsFanout, failures, settings } = natsRun;
  const us = (s: Spread) => `${fmt(s.median)} µs (${fmt(s.min)}–${fmt(s.max)})`;
  const failure = (name: string, f: Json, how: string) =>
    `| ${name} | ${how} | ${fmt(f.lost)} of ${fmt(f.sent)} | ${fmt(f.repeated)} | ` +
    `${f.noticedMs === null || f.noticedMs === undefined ? '–' : `${fmt(f.noticedMs)} ms`} | ` +
    `${f.flowingMs === null || f.flowingMs === undefined ? '–' : `${fmt(f.flowingMs)} ms`} |`;
  const ours = settings.ours;
  const mine = `ours (ping ${fmt(ours.pingInterval)} ms × ${ours.maxPingOut}, reconnect wait ${fmt(ours.reconnectTimeWait)} ms, dial ${fmt(ours.timeout)} ms)`;
  return [
    NATS_HEADING,
    `\`npm run bench:nats\`: the same work over UDP and over a real 3-node nats-server cluster on loopback, ` +
      `in one run, ${setup.rounds} rounds. Request/reply: a user node asks its server LISTROOMS ${fmt(setup.requests)} times, ` +
      'one at a time; over NATS the server is on one cluster node and the user node, on NATS alone, on another, so ' +
      `every request and reply crosses a route. Room fan-out: one of ${setup.members} members says ${setup.messages} ` +
      'messages, each awaiting its +OK, until every member has every message; over NATS the members are on NATS ' +
      'alone, on the two nodes the server is not on. Servers, users and this process share the CPUs with three nats-server processes.',
    [
      '| | UDP | NATS | NATS ÷ UDP |',
      '| --- | --- | --- | --- |',
      `| request/reply, round trips/s | ${range(requestReply.udp)} | ${range(requestReply.nats)} | ${times(requestReply.ratio)} |`,
      `| request/reply, p50 | ${us(requestReply.p50.udp)} | ${us(requestReply.p50.nats)} | |`,
      `| request/reply, p99 | ${us(requestReply.p99.udp)} | ${us(requestReply.p99.nats)} | |`,
      `| room fan-out, deliveries/s | ${range(natsFanout.udp)} | ${range(natsFanout.nats)} | ${times(natsFanout.ratio)} |`,
    ].join('\n'),
    'A NATS node failing under a stream of one datagram per millisecond between two NATS transports (sender on ' +
      'the failing node, with a second node as its other URL; receiver on the third), once each:',
    [
      '| node | client settings | lost | repeated | sender noticed after | flowing again after |',
      '| --- | --- | --- | --- | --- | --- |',
      failure(
        'SIGKILL',
        failures.killedDefaults,
        'the client’s defaults (reconnect wait 2 s, ping 2 min, dial 20 s)',
      ),
      failure('SIGKILL', failures.killedOursNoResend, `${mine}, nothing published again`),
      failure(
        'SIGKILL',
        failures.killedOurs,
        `${mine}, the last ${fmt(ours.resendWindow)} ms and the outage published again`,
      ),
      failure(
        'SIGSTOP',
        failures.frozenOurs,
        `${mine}, the last ${fmt(ours.resendWindow)} ms and the outage published again`,
      ),
    ].join('\n'),
    'With the client’s defaults a frozen node is noticed only after its pings go unanswered for 4 minutes; not run. ' +
      'Repeats are what the transport published again: the protocol takes each once (relayed SEND and FIND by the ' +
      'servers’ seen-set, deliveries by the user node’s duplicate window).',
  ];
}
