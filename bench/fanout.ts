/**
 * Fan-out: CSEND into a room of `members` receivers through the reference server, beside raw UDP
 * fan-out of the same messages by a bare relay, measured in the same run: `npm run bench:fanout`.
 * Writes bench/results/fanout.json.
 *
 * Server, relay and receivers each run in a process of their own; this process sends. It keeps
 * `window` messages unacknowledged (the server's +OK, or the relay's echo) for `seconds`; the
 * receivers count deliveries and their latency (each message carries its send time). Rounds
 * alternate relay and server; figures are medians over rounds with min-max.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type Packet, serialize } from '../src/index.ts';
import { accepted, type Fixture, startFixture, uniqueChannel } from './lib/processes.ts';
import { fmt, printSetup, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    window: { type: 'string', default: '4' },
  },
});
const members = Number(values.members);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const window = Number(values.window);
const HOST = '127.0.0.1';
const ROOM = 'lobby';

interface Report {
  count: number;
  p50: number;
  p99: number;
  addresses: string[];
}

/** Asks the receivers what arrived since the last report. */
async function report(receivers: Fixture): Promise<Report> {
  const lines = createInterface({ input: receivers.child.stdout as NodeJS.ReadableStream });
  const line = once(lines, 'line', { signal: AbortSignal.timeout(5000) });
  receivers.child.stdin?.write('report\n');
  const [text] = (await line) as [string];
  lines.close();
  return JSON.parse(text) as Report;
}

function ask(socket: Socket, packet: Packet, port: number, pad = 0) {
  return accepted(socket, serialize(packet).padEnd(pad, ' '), port);
}

/** Sends for `seconds`, `window` unacknowledged at most; every loop ends by itself. */
async function round(socket: Socket, port: number, write: (n: number) => Buffer, receivers: Fixture) {
  await report(receivers); // start from zero
  let sent = 0;
  let acked = 0;
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const send = () => socket.send(write(sent++), port, HOST);
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onAck = () => {
    acked++;
    if (performance.now() < stopAt) send();
    else if (acked === sent) finish();
  };
  socket.on('message', onAck);
  for (let i = 0; i < window; i++) send();
  const deadline = setTimeout(finish, seconds * 1000 + 1000);
  await done;
  clearTimeout(deadline);
  socket.off('message', onAck);
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 300)); // the last deliveries
  const got = await report(receivers);
  return {
    deliveredPerSecond: got.count / elapsed,
    expected: sent * members,
    delivered: got.count,
    p50: got.p50,
    p99: got.p99,
  };
}

const channel = uniqueChannel();
const fixtures: Fixture[] = [];
try {
  const server = await startFixture('chat-server', channel);
  fixtures.push(server);
  const sender = createSocket('udp4');
  sender.bind(0, HOST);
  await once(sender, 'listening');
  const me = { kind: 'UserNode' as const, alias: 'sender', ip: HOST, port: sender.address().port };
  const home = { kind: 'Server' as const, alias: 'bench', ip: HOST, port: server.port };
  await ask(
    sender,
    { kind: 'UserCommand', sender: me, command: { verb: 'PREFERRED', server: home } },
    server.port,
    1200,
  );
  await ask(
    sender,
    { kind: 'UserCommand', sender: me, command: { verb: 'CREATEROOM', room: ROOM } },
    server.port,
  );
  const chatReceivers = await startFixture('receivers', [String(members), String(server.port), ROOM]);
  fixtures.push(chatReceivers);
  const rawReceivers = await startFixture('receivers', [String(members)]);
  fixtures.push(rawReceivers);
  const relay = await startFixture('udp-echo', ['fanout']);
  fixtures.push(relay);
  for (const address of (await report(rawReceivers)).addresses) relay.child.stdin?.write(`${address}\n`);

  // The same CSEND text both ways, ending with its send time for the receivers.
  const csend = (n: number) =>
    Buffer.from(
      serialize({
        kind: 'UserCommand',
        sender: me,
        command: {
          verb: 'CSEND',
          message: `message ${n} sent at ${(performance.timeOrigin + performance.now()).toFixed(3)}`,
        },
      }),
    );
  const setup = {
    members,
    window,
    secondsPerRound: seconds,
    rounds,
    message: `${csend(0).length} bytes (CSEND)`,
  };
  printSetup('fan-out', setup);
  const measured = {
    server: [] as Awaited<ReturnType<typeof round>>[],
    raw: [] as Awaited<ReturnType<typeof round>>[],
  };
  await round(sender, server.port, csend, chatReceivers); // warm-up
  for (let r = 0; r < rounds; r++) {
    measured.raw.push(await round(sender, relay.port, csend, rawReceivers));
    measured.server.push(await round(sender, server.port, csend, chatReceivers));
  }
  const summary = (rs: typeof measured.server) => ({
    deliveredPerSecond: spread(rs.map((r) => r.deliveredPerSecond)),
    p50: spread(rs.map((r) => r.p50)),
    p99: spread(rs.map((r) => r.p99)),
    delivered: rs.reduce((sum, r) => sum + r.delivered, 0),
    expected: rs.reduce((sum, r) => sum + r.expected, 0),
  });
  const results = { server: summary(measured.server), raw: summary(measured.raw) };
  for (const [name, s] of Object.entries(results)) {
    const d = s.deliveredPerSecond;
    console.log(
      `${name.padEnd(7)} ${fmt(d.median).padStart(8)} deliveries/s (${fmt(d.min)}-${fmt(d.max)}), p50 ${fmt(s.p50.median, 2)} ms, p99 ${fmt(s.p99.median, 2)} ms, delivered ${s.delivered} of ${s.expected}`,
    );
  }
  console.log(
    `server / raw: ${fmt(results.server.deliveredPerSecond.median / results.raw.deliveredPerSecond.median, 2)}x`,
  );
  console.log(`results: ${saveResults('fanout', setup, results)}`);
  sender.close();
} finally {
  await Promise.all(fixtures.map((f) => f.stop()));
}
