/**
 * Three ways the network can go wrong that only show between whole servers: greetings that answer
 * each other for ever, a retried request answered with nothing, and a FIND answered three servers
 * away. On the in-memory network, where partitions and timing are exact.
 */
import { expect, test } from 'vitest';
import { MemoryNetwork } from '../../src/node/index.ts';
import { until } from './helpers.ts';
import { memoryNodes } from './memory-nodes.ts';

const { server, user } = memoryNodes(
  { ip: '239.1.2.6', port: 8450 },
  { server: { gossipInterval: 100, probeInterval: 10 } },
);

test('two servers that meet after a partition heals greet each other a bounded number of times', async () => {
  const network = new MemoryNetwork();
  const a = server(network, 'alpha', {
    port: 7000,
    transport: network.transport({ port: 7000 }),
    rateLimits: false,
  });
  const b = server(network, 'beta', {
    port: 7001,
    transport: network.transport({ port: 7001 }),
    rateLimits: false,
  });
  network.partition([{ ip: '127.0.0.1', port: 7000 }], [{ ip: '127.0.0.1', port: 7001 }]);
  await Promise.all([a.start(), b.start()]);
  let discovers = 0;
  for (const s of [a, b]) {
    s.on('packetOut', (p) => {
      if (p.kind === 'ServerCommand' && p.command.verb === 'DISCOVER') discovers++;
    });
  }
  network.heal();
  await until(
    () => a.neighbours.size === 1 && b.neighbours.size === 1,
    'the two to be neighbours',
    5000,
    network.clock,
  );
  await network.clock.sleep(1000);
  expect(discovers).toBeLessThan(10);
});

test('a FIND is answered by a server three hops away, through channels that only overlap pairwise', async () => {
  const network = new MemoryNetwork();
  const ch = (i: number) => ({ ip: `239.88.0.${i}`, port: 18000 });
  const [a, b, c, d] = [
    server(network, 'a', { channels: [ch(1)] }),
    server(network, 'b', { channels: [ch(1), ch(2)] }),
    server(network, 'c', { channels: [ch(2), ch(3)] }),
    server(network, 'd', { channels: [ch(3)] }),
  ];
  await Promise.all([a, b, c, d].map((s) => s.start()));
  const ann = await user(network, 'ann', a.self, { findWait: 1000 });
  await user(network, 'zed', d.self);
  await until(() => c.directory.lookup('zed', network.clock.now()), 'c to learn zed', 5000, network.clock);
  expect(await ann.find('zed')).toMatchObject({ user: { alias: 'zed' }, server: { alias: 'd' } });
});
