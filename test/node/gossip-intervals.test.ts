/**
 * Servers gossiping at different intervals (the wire does not say how often): each judges a
 * neighbour's silence by the gaps that neighbour has shown, so neither drops the other while it
 * lives, and a dead one is still dropped.
 */
import { expect, test } from 'vitest';
import { MemoryNetwork } from '../../src/node/index.ts';
import { until } from './helpers.ts';
import { memoryNodes } from './memory-nodes.ts';

const { server, user } = memoryNodes({ ip: '239.1.2.5', port: 8450 });

test('a neighbour gossiping every 400 ms among servers at 100 ms is never dropped, and is dropped once it dies', async () => {
  const network = new MemoryNetwork();
  const fast = server(network, 'fast', { gossipInterval: 100 });
  const slow = server(network, 'slow', { gossipInterval: 400 });
  await Promise.all([fast.start(), slow.start()]);
  await user(network, 'ann', slow.self);
  await until(
    () => fast.neighbours.size === 1 && fast.directory.lookup('ann', network.clock.now()),
    'fast to know slow and ann',
    5000,
    network.clock,
  );
  const lost: string[] = [];
  fast.on('neighbourLost', (s) => lost.push(s.alias));
  let annMissing = 0;
  for (let t = 0; t < 30; t++) {
    await network.clock.sleep(100);
    if (!fast.directory.lookup('ann', network.clock.now())) annMissing++;
  }
  expect(lost).toEqual([]);
  expect(annMissing).toBe(0);
  await slow.close();
  await until(() => lost.length === 1, 'fast to drop the dead neighbour', 5000, network.clock);
  expect(lost).toEqual(['slow']);
});
