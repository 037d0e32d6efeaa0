/**
 * Request/reply through the reference server, beside a raw UDP echo server measured by the same
 * load generator in the same run: `npm run bench:server`. Writes bench/results/server.json.
 *
 * The server and the echo server each run in a process of their own; this process is the load
 * generator. It registers two users (PREFERRED), then keeps `inflight` requests outstanding
 * (FIND of the other, local, user and LIST, alternating) for `seconds`, and records each reply's
 * latency (replies come back in order on loopback). Rounds alternate echo and server, so both
 * see the same machine; the figures are medians over rounds, with min-max.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { type Packet, serialize } from '../src/index.ts';
import { accepted, startFixture, uniqueChannel } from './lib/processes.ts';
import { fmt, percentile, printSetup, saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    inflight: { type: 'string', default: '32' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const inflight = Number(values.inflight);

const HOST = '127.0.0.1';

async function openSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, HOST);
  await once(socket, 'listening');
  socket.setRecvBufferSize(4 << 20);
  socket.setSendBufferSize(4 << 20);
  return socket;
}

const user = (alias: string, socket: Socket) => ({
  kind: 'UserNode' as const,
  alias,
  ip: HOST,
  port: socket.address().port,
});

/** Registers `alias` at the server from `socket`: PREFERRED padded as the reference user node pads it. */
async function register(socket: Socket, alias: string, serverPort: number): Promise<void> {
  const preferred: Packet = {
    kind: 'UserCommand',
    sender: user(alias, socket),
    command: { verb: 'PREFERRED', server: { kind: 'Server', alias: 'bench', ip: HOST, port: serverPort } },
  };
  await accepted(socket, serialize(preferred).padEnd(1200, ' '), serverPort);
}

interface Round {
  repliesPerSecond: number;
  p50: number;
  p99: number;
  lost: number;
}

/** Keeps `inflight` requests outstanding against `port` for `seconds`; every loop ends by itself. */
async function round(socket: Socket, port: number, requests: Buffer[]): Promise<Round> {
  const sentAt: number[] = [];
  let head = 0;
  const latencies: number[] = [];
  let next = 0;
  let replies = 0;
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const send = () => {
    sentAt.push(performance.now());
    socket.send(requests[next++ % requests.length] as Buffer, port, HOST);
  };
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onMessage = () => {
    const now = performance.now();
    latencies.push(now - (sentAt[head++] as number));
    replies++;
    if (now < stopAt) send();
    else if (head === sentAt.length) finish();
  };
  socket.on('message', onMessage);
  for (let i = 0; i < inflight; i++) send();
  // Lost datagrams would leave requests outstanding: give them a second after the end, no more.
  const deadline = setTimeout(finish, seconds * 1000 + 1000);
  await done;
  clearTimeout(deadline);
  socket.off('message', onMessage);
  const elapsed = (Math.min(performance.now(), stopAt + 1000) - started) / 1000;
  return {
    repliesPerSecond: replies / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lost: sentAt.length - replies,
  };
}

const channel = uniqueChannel();
const server = await startFixture('chat-server', channel);
const echo = await startFixture('udp-echo', ['echo']);
try {
  const ann = await openSocket();
  const bob = await openSocket();
  await register(ann, 'ann', server.port);
  await register(bob, 'bob', server.port);
  const requests = (['FIND', 'LIST'] as const).map((verb) =>
    Buffer.from(
      serialize({
        kind: 'UserCommand',
        sender: user('ann', ann),
        command: verb === 'FIND' ? { verb, alias: 'bob' } : { verb },
      }),
    ),
  );
  // What is timed must be the real answer: FIND finds bob here, LIST lists both users.
  for (const request of requests) {
    const reply = await accepted(ann, request.toString(), server.port);
    if (reply.users.length === 0) {
      throw new Error(`unexpected answer to ${request}: ${serialize(reply)}`);
    }
  }
  const setup = {
    requests: 'FIND of a local user and LIST, alternating',
    inflight,
    secondsPerRound: seconds,
    rounds,
  };
  printSetup('server request/reply', setup);
  const measured: { server: Round[]; echo: Round[] } = { server: [], echo: [] };
  await round(ann, server.port, requests); // warm-up: JIT on both sides
  for (let r = 0; r < rounds; r++) {
    measured.echo.push(await round(ann, echo.port, requests));
    measured.server.push(await round(ann, server.port, requests));
  }
  const summary = (rs: Round[]) => ({
    repliesPerSecond: spread(rs.map((r) => r.repliesPerSecond)),
    p50: spread(rs.map((r) => r.p50)),
    p99: spread(rs.map((r) => r.p99)),
    lost: rs.reduce((sum, r) => sum + r.lost, 0),
  });
  const results = { server: summary(measured.server), echo: summary(measured.echo) };
  for (const [name, s] of Object.entries(results)) {
    const r = s.repliesPerSecond;
    console.log(
      `${name.padEnd(7)} ${fmt(r.median).padStart(8)} replies/s (${fmt(r.min)}-${fmt(r.max)}), p50 ${fmt(s.p50.median, 2)} ms, p99 ${fmt(s.p99.median, 2)} ms, lost ${s.lost}`,
    );
  }
  console.log(
    `server / echo: ${fmt(results.server.repliesPerSecond.median / results.echo.repliesPerSecond.median, 2)}x`,
  );
  console.log(`results: ${saveResults('server', setup, results)}`);
  ann.close();
  bob.close();
} finally {
  await Promise.all([server.stop(), echo.stop()]);
}
