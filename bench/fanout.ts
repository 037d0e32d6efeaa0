/**
 * Fan-out: CSEND into a room of `members` receivers through the reference server, beside raw UDP
 * fan-out of the same messages by a bare relay, and the same payload published through Aedes (an
 * MQTT broker: one publisher, `members` subscribers, QoS 0, over TCP), measured in the same run:
 * `npm run bench:fanout`. Writes bench/results/fanout.json.
 *
 * Server, relay and receivers each run in a process of their own; this process sends. It keeps
 * `window` messages unacknowledged (the server's +OK, the relay's echo, or for MQTT the publisher's
 * own copy: it subscribes to its topic) for `seconds`; the
 * receivers count deliveries and their latency (each message carries its send time). Rounds
 * alternate relay and server; figures are medians over rounds with min-max.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type Packet, serialize } from '../src/index.ts';
import { mqttClient } from './lib/mqtt-client.ts';
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

/** A way to send a message and hear it acknowledged: UDP to the server or relay, or MQTT. */
interface Sender {
  send(data: Buffer): void;
  /** Calls `ack` once per acknowledged message until the returned function is called. */
  onAck(ack: () => void): () => void;
}

function udpSender(socket: Socket, port: number): Sender {
  return {
    send: (data) => socket.send(data, port, HOST),
    onAck(ack) {
      socket.on('message', ack);
      return () => socket.off('message', ack);
    },
  };
}

/** Sends for `seconds`, `window` unacknowledged at most; every loop ends by itself. */
async function round(sender: Sender, write: (n: number) => Buffer, receivers: Fixture) {
  await report(receivers); // start from zero
  let sent = 0;
  let acked = 0;
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const send = () => sender.send(write(sent++));
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stop = sender.onAck(() => {
    acked++;
    if (performance.now() < stopAt) send();
    else if (acked === sent) finish();
  });
  for (let i = 0; i < window; i++) send();
  const deadline = setTimeout(finish, seconds * 1000 + 1000);
  await done;
  clearTimeout(deadline);
  stop();
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
  // Aedes: the publisher subscribes to its own topic, so each message it gets back is its ack.
  const broker = await startFixture('mqtt-broker');
  fixtures.push(broker);
  const mqttReceivers = await startFixture('receivers', [String(members), 'mqtt', String(broker.port), ROOM]);
  fixtures.push(mqttReceivers);
  let mqttAck: (() => void) | undefined;
  const publisher = await mqttClient(broker.port, 'publisher', ROOM, () => mqttAck?.());
  const mqttSender: Sender = {
    send: (data) => publisher.publish(ROOM, data),
    onAck(ack) {
      mqttAck = ack;
      return () => {
        mqttAck = undefined;
      };
    },
  };

  type Round = Awaited<ReturnType<typeof round>>;
  const measured = { server: [] as Round[], raw: [] as Round[], aedes: [] as Round[] };
  const toServer = udpSender(sender, server.port);
  const toRelay = udpSender(sender, relay.port);
  // Warm-up: JIT everywhere.
  await round(toServer, csend, chatReceivers);
  await round(mqttSender, csend, mqttReceivers);
  for (let r = 0; r < rounds; r++) {
    measured.raw.push(await round(toRelay, csend, rawReceivers));
    measured.server.push(await round(toServer, csend, chatReceivers));
    measured.aedes.push(await round(mqttSender, csend, mqttReceivers));
  }
  const summary = (rs: typeof measured.server) => ({
    deliveredPerSecond: spread(rs.map((r) => r.deliveredPerSecond)),
    p50: spread(rs.map((r) => r.p50)),
    p99: spread(rs.map((r) => r.p99)),
    delivered: rs.reduce((sum, r) => sum + r.delivered, 0),
    expected: rs.reduce((sum, r) => sum + r.expected, 0),
  });
  const results = {
    server: summary(measured.server),
    raw: summary(measured.raw),
    aedes: summary(measured.aedes),
  };
  for (const [name, s] of Object.entries(results)) {
    const d = s.deliveredPerSecond;
    console.log(
      `${name.padEnd(7)} ${fmt(d.median).padStart(8)} deliveries/s (${fmt(d.min)}-${fmt(d.max)}), p50 ${fmt(s.p50.median, 2)} ms, p99 ${fmt(s.p99.median, 2)} ms, delivered ${s.delivered} of ${s.expected}`,
    );
  }
  const ratio = (a: keyof typeof results, b: keyof typeof results) =>
    fmt(results[a].deliveredPerSecond.median / results[b].deliveredPerSecond.median, 2);
  console.log(`server / raw: ${ratio('server', 'raw')}x; server / aedes: ${ratio('server', 'aedes')}x`);
  console.log(`results: ${saveResults('fanout', setup, results)}`);
  sender.close();
  publisher.close();
} finally {
  await Promise.all(fixtures.map((f) => f.stop()));
}
