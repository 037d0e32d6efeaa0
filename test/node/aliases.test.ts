/**
 * Alias claims under a simulated clock: many servers starting at once with one alias, and two
 * partitions that each gave the alias away merging again. The in-memory network's virtual clock
 * makes each run exact and fast; the real-socket versions are in network.test.ts.
 */
import { expect, test } from 'vitest';
import {
  type ChatServer,
  createServer,
  createUserNode,
  type Endpoint,
  MemoryNetwork,
} from '../../src/node/index.ts';
import { until } from './wait.ts';

const channel: Endpoint = { ip: '239.4.5.6', port: 8450 };
const GOSSIP = 1000;

/** Runs `promise` to completion within `ms` of the network's simulated time. */
async function within<T>(network: MemoryNetwork, ms: number, promise: Promise<T>): Promise<T> {
  const late = network.clock.sleep(ms).then(() => {
    throw new Error(`not settled within ${ms} simulated ms`);
  });
  return Promise.race([promise, late]);
}

function duplicates(servers: readonly ChatServer[]): string[] {
  const seen = new Set<string>();
  return servers.map((s) => s.alias).filter((alias) => seen.has(alias) || !seen.add(alias));
}

test('200 trials of 2-5 servers starting at once with one alias leave no duplicate', async () => {
  for (let trial = 0; trial < 200; trial++) {
    const network = new MemoryNetwork({ delayMs: trial % 3 });
    const count = 2 + (trial % 4);
    const servers = Array.from({ length: count }, () =>
      createServer({
        alias: 'same',
        channels: [channel],
        gossipInterval: GOSSIP,
        transport: network.transport(),
      }),
    );
    await within(network, 10_000, Promise.all(servers.map((s) => s.start())));
    // Late answers must not undo it: let every probe window and a round of gossip pass.
    await network.clock.sleep(2 * GOSSIP);
    expect(duplicates(servers), `trial ${trial}: ${servers.map((s) => s.alias).join(' ')}`).toEqual([]);
    expect(servers.filter((s) => s.alias === 'same')).toHaveLength(1);
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('a healed partition leaves no duplicate alias, and directories converge within 2 gossip intervals + 1 s', async () => {
  const network = new MemoryNetwork();
  const at = (port: number) => ({ host: '127.0.0.1', port, transport: network.transport({ port }) });
  const left = [41001, 41002];
  const right = [41003, 41004];
  network.partition(
    left.map((port) => ({ ip: '127.0.0.1', port })),
    right.map((port) => ({ ip: '127.0.0.1', port })),
  );
  const servers = [
    createServer({ alias: 'hub', channels: [channel], gossipInterval: GOSSIP, ...at(41001) }),
    createServer({ alias: 'left', channels: [channel], gossipInterval: GOSSIP, ...at(41002) }),
    createServer({ alias: 'hub', channels: [channel], gossipInterval: GOSSIP, ...at(41003) }),
    createServer({ alias: 'right', channels: [channel], gossipInterval: GOSSIP, ...at(41004) }),
  ];
  await within(network, 10_000, Promise.all(servers.map((s) => s.start())));
  expect(servers.map((s) => s.alias)).toEqual(['hub', 'left', 'hub', 'right']);
  const users = servers.map((s, i) =>
    createUserNode({ alias: `u${i}`, server: s.self, transport: network.transport(), keepAlive: 0 }),
  );
  await within(network, 5000, Promise.all(users.map((u) => u.start())));
  await network.clock.sleep(2 * GOSSIP);

  network.heal();
  await network.clock.sleep(2 * GOSSIP + 1000);

  expect(duplicates(servers)).toEqual([]);
  // The lower address kept the alias; the other renamed.
  expect(servers.map((s) => s.alias)).toEqual(['hub', 'left', 'hub2', 'right']);
  // Every server knows where every user is: its own, or by gossip from the server hosting it.
  for (const s of servers) {
    for (const [i, host] of servers.entries()) {
      if (host === s) {
        expect(s.registry.holding(`u${i}`)).toBeDefined();
        continue;
      }
      const entry = s.directory.lookup(`u${i}`, network.clock.now());
      expect(entry?.server, `${s.alias} on u${i}`).toEqual(host.self);
    }
  }
  // The two halves are neighbours now, so FIND crosses where the partition was.
  expect(servers.every((s) => s.neighbours.size === 3)).toBe(true);
  await Promise.all([...users, ...servers].map((n) => n.close()));
});

/**
 * Two servers that claimed one alias while apart, on channels joined only through bridging
 * servers: no channel carries both claims, and KNOWNSERVERS names only neighbours, so neither
 * holder ever hears of the other by itself. A bridge that knows both (one as a neighbour or from a
 * neighbour's list, the other from another neighbour's list) must pass the collision on until the
 * holders settle it between them.
 */
test.each([
  { channels: 2, apart: 'one bridge between them' },
  { channels: 3, apart: 'two bridges between them' },
  { channels: 4, apart: 'three bridges between them, neither a neighbour of the middle one' },
])('a collision across $channels channels ($apart) is settled after a heal', async ({ channels }) => {
  const network = new MemoryNetwork();
  const chain: Endpoint[] = Array.from({ length: channels }, (_, c) => ({
    ip: `239.4.6.${c + 1}`,
    port: 8450,
  }));
  const server = (port: number, alias: string, on: Endpoint[]) =>
    createServer({
      alias,
      host: '127.0.0.1',
      port,
      channels: on,
      gossipInterval: GOSSIP,
      transport: network.transport({ port }),
    });
  // The holders at either end of the chain; a bridge between each pair of channels.
  const first = server(42001, 'same', [chain[0] as Endpoint]);
  const last = server(42002, 'same', [chain[channels - 1] as Endpoint]);
  const bridges = chain.slice(1).map((c, i) => server(42010 + i, `bridge${i}`, [chain[i] as Endpoint, c]));
  const endpoint = (port: number) => ({ ip: '127.0.0.1', port });
  const right = [42002, ...bridges.map((_, i) => 42010 + i)];
  network.partition([endpoint(42001)], right.map(endpoint));
  const servers = [first, last, ...bridges];
  await within(network, 10_000, Promise.all(servers.map((s) => s.start())));
  expect([first.alias, last.alias]).toEqual(['same', 'same']);

  network.heal();
  await until(
    () => duplicates(servers).length === 0,
    'the collision to be settled',
    6 * GOSSIP + 1000,
    network.clock,
  );
  // The lower address kept the alias; the other renamed.
  expect([first.alias, last.alias]).toEqual(['same', 'same2']);
  await Promise.all(servers.map((s) => s.close()));
});
