/**
 * FIND floods over the in-memory network, where topology is easy to shape: a ring of four
 * servers, each link its own channel, so every request meets a cycle.
 */
import { expect, test } from 'vitest';
import type { Packet } from '../../src/index.ts';
import {
  type ChatServer,
  createServer,
  createUserNode,
  type Endpoint,
  MemoryNetwork,
} from '../../src/node/index.ts';
import { until } from './helpers.ts';

async function ring(network: MemoryNetwork, size: number): Promise<ChatServer[]> {
  const channels: Endpoint[] = Array.from({ length: size }, (_, i) => ({ ip: '239.1.1.1', port: 9000 + i }));
  const servers = channels.map((_, i) =>
    createServer({
      alias: `s${i}`,
      channels: [channels[i] as Endpoint, channels[(i + 1) % size] as Endpoint],
      gossipInterval: 100,
      transport: network.transport(),
    }),
  );
  await Promise.all(servers.map((s) => s.start()));
  await until(() => servers.every((s) => s.neighbours.size === 2), 'the ring to form', 5000, network.clock);
  return servers;
}

/** Every FIND a server forwards to another server, as `from->to`, in the order sent. */
function findForwards(servers: ChatServer[]): string[] {
  const links: string[] = [];
  for (const s of servers) {
    s.on('packetOut', (packet: Packet, to: Endpoint) => {
      const toServer = servers.some((o) => o.self.port === to.port);
      if (packet.kind === 'UserCommand' && packet.command.verb === 'FIND' && toServer) {
        links.push(`${s.self.port}->${to.port}`);
      }
    });
  }
  return links;
}

test('a FIND flood over a cycle crosses each link at most once in each direction, and ends', async () => {
  const network = new MemoryNetwork();
  const servers = await ring(network, 4);
  const forwarded = findForwards(servers);
  const home = servers[0] as ChatServer;
  const user = createUserNode({
    alias: 'seeker',
    server: home.self,
    transport: network.transport(),
    findWait: 300,
  });
  await user.start();
  expect(await user.find('ghost')).toBeUndefined();
  // Retry inside the window: answered again, not flooded again.
  expect(await user.find('ghost')).toBeUndefined();
  expect(forwarded.length).toBeGreaterThan(0);
  expect(forwarded.length).toBeLessThanOrEqual(8);
  expect(new Set(forwarded).size).toBe(forwarded.length);
  await user.close();
  await Promise.all(servers.map((s) => s.close()));
});

test('a user two hops away in the ring is found through a neighbour', async () => {
  const network = new MemoryNetwork();
  const servers = await ring(network, 4);
  const [s0, , s2] = servers as [ChatServer, ChatServer, ChatServer];
  const seeker = createUserNode({ alias: 'seeker', server: s0.self, transport: network.transport() });
  const target = createUserNode({ alias: 'target', server: s2.self, transport: network.transport() });
  await Promise.all([seeker.start(), target.start()]);
  // s0 shares no channel with s2: it cannot know target from gossip.
  await until(
    () => servers[1]?.directory.lookup('target', network.clock.now()),
    's1 to learn target',
    5000,
    network.clock,
  );
  expect(s0.directory.lookup('target', network.clock.now())).toBeUndefined();
  expect(await seeker.find('target')).toEqual({ server: s2.self, user: target.self });
  await Promise.all([seeker.close(), target.close(), ...servers.map((s) => s.close())]);
});

test('a FIND flood over a 10-server mesh with cycles crosses each link at most once, and ends', async () => {
  const network = new MemoryNetwork();
  // Five channels in a ring, two servers on each pair of adjacent channels: every server has
  // five neighbours, and the neighbour graph is full of cycles.
  const channels: Endpoint[] = Array.from({ length: 5 }, (_, i) => ({ ip: '239.1.1.2', port: 9100 + i }));
  const servers = Array.from({ length: 10 }, (_, i) =>
    createServer({
      alias: `m${i}`,
      channels: [channels[i % 5] as Endpoint, channels[(i + 1) % 5] as Endpoint],
      gossipInterval: 100,
      transport: network.transport(),
    }),
  );
  await Promise.all(servers.map((s) => s.start()));
  await until(() => servers.every((s) => s.neighbours.size === 5), 'the mesh to form', 5000, network.clock);
  const links = findForwards(servers);
  const seeker = createUserNode({
    alias: 'seeker',
    server: (servers[0] as ChatServer).self,
    transport: network.transport(),
    findWait: 500,
  });
  await seeker.start();
  expect(await seeker.find('nobody')).toBeUndefined();
  const edges = servers.reduce((n, s) => n + s.neighbours.size, 0);
  expect(links.length).toBeGreaterThanOrEqual(servers.length - 1); // it reached everyone...
  expect(links.length).toBeLessThanOrEqual(edges); // ...over each directed link at most once
  expect(new Set(links).size).toBe(links.length);
  await Promise.all([seeker.close(), ...servers.map((s) => s.close())]);
});
