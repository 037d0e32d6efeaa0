/**
 * Incremental gossip (`fullListEvery`): between whole lists a server names only its newcomers,
 * beside a server that sends its whole list every interval. Neither loses the other's users, a
 * newcomer is known at once, one who left drops out at once, and the lists cost fewer bytes.
 */
import { expect, test } from 'vitest';
import type { Packet } from '../../src/index.ts';
import { type ChatServer, type ChatUser, MemoryNetwork } from '../../src/node/index.ts';
import { until } from './helpers.ts';
import { memoryNodes } from './memory-nodes.ts';

const GOSSIP = 200;
const { server, user } = memoryNodes({ ip: '239.1.2.6', port: 8450 }, { user: { keepAlive: 1000 } });

/** KNOWNUSERS entries `s` sends. */
function listedBy(s: ChatServer): { users: number } {
  const count = { users: 0 };
  s.on('packetOut', (packet: Packet) => {
    if (packet.kind === 'ServerCommand' && packet.command.verb === 'KNOWNUSERS')
      count.users += packet.command.users.length;
  });
  return count;
}

async function pair(fullListEvery: number) {
  const network = new MemoryNetwork({ delayMs: 1 });
  const delta = server(network, 'delta', { gossipInterval: GOSSIP, fullListEvery });
  const plain = server(network, 'plain', { gossipInterval: GOSSIP });
  await Promise.all([delta.start(), plain.start()]);
  await until(
    () => delta.neighbours.size === 1 && plain.neighbours.size === 1,
    'neighbours',
    5000,
    network.clock,
  );
  const known = (s: ChatServer, alias: string) =>
    s.directory.lookup(alias, network.clock.now()) !== undefined;
  return { network, delta, plain, known };
}

test('a server sending newcomers between whole lists and one sending whole lists keep each other’s users', async () => {
  const { network, delta, plain, known } = await pair(5);
  const listed = listedBy(delta);
  const atDelta: ChatUser[] = [];
  for (let i = 0; i < 10; i++) atDelta.push(await user(network, `d${i}`, delta.self));
  await user(network, 'p0', plain.self);
  await network.clock.sleep(2 * GOSSIP);

  // Twenty intervals, newcomers every few: every user stays known on the other side throughout.
  let missing = 0;
  for (let t = 0; t < 20; t++) {
    if (t % 4 === 0) atDelta.push(await user(network, `d${10 + t}`, delta.self));
    await network.clock.sleep(GOSSIP / 2);
    for (const u of atDelta) if (!known(plain, u.self.alias)) missing++;
    if (!known(delta, 'p0')) missing++;
    await network.clock.sleep(GOSSIP / 2);
  }
  expect(missing).toBe(0);
  // A newcomer is named at once (a list of one), not at the next whole list.
  const newcomer = await user(network, 'late', delta.self);
  await network.clock.sleep(10);
  expect(known(plain, newcomer.self.alias)).toBe(true);
  // One who leaves is left out of a whole list at once: gone on the other side within a round.
  await (atDelta[0] as ChatUser).exit();
  await network.clock.sleep(150);
  expect(known(plain, 'd0')).toBe(false);
  expect(known(plain, 'd1')).toBe(true);
  expect(listed.users).toBeGreaterThan(0);
});

test('whole lists every fifth interval name far fewer users than whole lists every interval', async () => {
  const counts: number[] = [];
  for (const every of [1, 5]) {
    const { network, delta } = await pair(every);
    for (let i = 0; i < 20; i++) await user(network, `u${i}`, delta.self);
    await network.clock.sleep(GOSSIP);
    const listed = listedBy(delta);
    await network.clock.sleep(20 * GOSSIP);
    counts.push(listed.users);
    await delta.close();
  }
  const [everyInterval, everyFifth] = counts as [number, number];
  expect(everyInterval).toBeGreaterThanOrEqual(20 * 20);
  expect(everyFifth).toBeLessThanOrEqual(everyInterval / 4);
});
