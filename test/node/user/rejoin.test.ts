/**
 * A lost node asks again (src/node/user/rejoin.ts): a delay spike longer than its N tries, on
 * its server and every neighbour, used to leave it lost for good although every server was there
 * (simulator seed 6). Real servers on the in-memory network, in virtual time.
 */
import { expect, test } from 'vitest';
import { type ChatUser, type Endpoint, MemoryNetwork } from '../../../src/node/index.ts';
import { REJOIN, rejoinPause } from '../../../src/node/user/rejoin.ts';
import { until } from '../helpers.ts';
import { memoryNodes } from '../memory-nodes.ts';

const channel: Endpoint = { ip: '239.1.2.9', port: 8450 };
const { server, user } = memoryNodes(channel);
const TIMEOUT = 100; // memoryNodes' user timeout, T

/** The node's state changes, as `from -event-> to`. */
function walk(u: ChatUser): string[] {
  const walked: string[] = [];
  u.on('state', (to, from, event) => walked.push(`${from} -${event}-> ${to}`));
  return walked;
}

/** alpha and beta, neighbours, with ann on alpha told of beta as her backup. */
async function annOnAlpha() {
  const network = new MemoryNetwork({ delayMs: 1 });
  const [alpha, beta] = [server(network, 'alpha'), server(network, 'beta')];
  await Promise.all([alpha.start(), beta.start()]);
  await until(() => alpha.neighbours.size === 1, 'neighbours', 5000, network.clock);
  const ann = await user(network, 'ann', alpha.self);
  await until(() => ann.backups.length === 1, 'a failover list', 5000, network.clock);
  return { network, alpha, beta, ann };
}

test('a node lost to a delay spike is taken back by its server once the spike ends', async () => {
  const { network, alpha, ann } = await annOnAlpha();
  const walked = walk(ann);
  const lost: string[] = [];
  ann.on('serverLost', (s) => lost.push(s.alias));

  // Every datagram now takes longer than all of ann's tries: checked, failed over, lost.
  network.delayMs = 20 * TIMEOUT;
  await expect(ann.list()).rejects.toMatchObject({ code: 'NO_SERVER' });
  expect(ann.state).toBe('lost');
  expect(lost).toEqual(['alpha']);
  await expect(ann.list()).rejects.toMatchObject({ code: 'NO_SERVER' });

  network.delayMs = 1;
  await until(() => ann.state === 'registered', 'registered again', 60_000, network.clock);
  expect(walked.at(-1)).toBe('lost -serverFound-> registered');
  expect(ann.server.port).toBe(alpha.self.port);
  expect((await ann.list()).map((u) => u.alias)).toContain('ann');
  // Registered again: the keep-alive checks alpha and alpha keeps ann.
  await network.clock.sleep(2000);
  expect(ann.state).toBe('registered');
});

test('a lost node whose server is gone is taken by a neighbour it was told of', async () => {
  const { network, alpha, beta, ann } = await annOnAlpha();
  const moves: string[] = [];
  ann.on('serverChanged', (to, from, reason) => moves.push(`${from.alias} -> ${to.alias} (${reason})`));

  network.delayMs = 20 * TIMEOUT;
  await expect(ann.list()).rejects.toMatchObject({ code: 'NO_SERVER' });
  await alpha.close();
  network.delayMs = 1;
  await until(() => ann.state === 'registered', 'registered again', 60_000, network.clock);
  expect(ann.server.port).toBe(beta.self.port);
  expect(moves).toEqual(['alpha -> beta (failover)']);
});

test('a lost node asks at most REJOIN.rounds times, with a growing pause, then stays lost; EXIT ends it', async () => {
  const network = new MemoryNetwork({ delayMs: 1 });
  const alpha = server(network, 'alpha');
  await alpha.start();
  const ann = await user(network, 'ann', alpha.self);
  const sent: number[] = [];
  ann.on('packetOut', () => sent.push(network.clock.now()));
  await alpha.close();
  await expect(ann.list()).rejects.toMatchObject({ code: 'NO_SERVER' });
  expect(ann.state).toBe('lost');
  const lostAt = network.clock.now();
  sent.length = 0;

  // Long enough for every round and more.
  const pauses = Array.from({ length: REJOIN.rounds }, (_, round) => rejoinPause(round, TIMEOUT));
  await network.clock.sleep(pauses.reduce((a, b) => a + b, 0) + 60_000);
  // One PREFERRED, N tries, per round (alpha is its only server): no more, and none after the last.
  expect(sent).toHaveLength(REJOIN.rounds * 3);
  expect(sent[0]).toBe(lostAt + (pauses[0] as number));
  const gaps = sent.filter((_, i) => i % 3 === 0).map((t, i, a) => (i === 0 ? 0 : t - (a[i - 1] as number)));
  expect(gaps.slice(1)).toEqual(pauses.slice(1).map((p) => p + 3 * TIMEOUT));
  expect(ann.state).toBe('lost');

  // EXIT while lost: the node is unregistered and asks nobody, even once its server is back.
  const again = server(network, 'alpha', { host: '127.0.0.1', port: alpha.self.port });
  await again.start();
  await ann.exit().catch(() => undefined);
  expect(ann.state).toBe('unregistered');
  const afterExit = sent.length;
  await network.clock.sleep(60_000);
  expect(sent).toHaveLength(afterExit);
  expect(again.registry.holding('ann')).toBeUndefined();
});
