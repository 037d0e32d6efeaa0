/**
 * A minimal user node (unpadded requests, no keep-alive) on reference servers: registration with
 * a server that has many neighbours, and FIND for a user that has left.
 */
import { expect, test } from 'vitest';
import type { Server } from '../../src/index.ts';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalUser, referenceUser, wire } from './nodes.ts';

test('an unpadded PREFERRED to a server with five neighbours is answered on its first try', async () => {
  const channel = uniqueChannel();
  const servers = ['home', 'n1', 'n2', 'n3', 'n4', 'n5'].map((alias) => server(alias, [channel]));
  await Promise.all(servers.map((s) => s.start()));
  const [home] = servers;
  if (!home) throw new Error('no home server');
  await until(() => home.neighbours.size === 5, 'home to have five neighbours');

  const mu = await minimalUser({ alias: 'mu', server: home.self, timeout: 300, retries: 3 });
  expect(mu.tries, wire(mu).join('\n')).toBe(1);
  // The +OK may list fewer servers (those 3x the PREFERRED's bytes pay for); the rest come as
  // KNOWNSERVERS once the user has spoken again, here with a LIST.
  expect((await mu.request({ verb: 'LIST' }))?.status).toBe('+OK');
  const listed = () => {
    const names = new Set<string>();
    for (const { packet, from } of mu.received) {
      if (from.port !== home.self.port) continue;
      const servers: Server[] =
        packet.kind === 'ServerReply'
          ? packet.servers
          : packet.kind === 'ServerCommand' && packet.command.verb === 'KNOWNSERVERS'
            ? packet.command.servers
            : [];
      for (const s of servers) names.add(s.alias);
    }
    return [...names].sort();
  };
  await until(() => listed().length === 5, 'all five neighbours to reach the user', 3000).catch(
    () => undefined,
  );
  expect(listed(), wire(mu).join('\n')).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
});

test('after a user exits, FIND for it names its old location no more once its server has gossiped', async () => {
  const channel = uniqueChannel();
  // Directory entries live three gossip intervals (3 s here); the answer must change well before.
  const [a, b] = [
    server('alpha', [channel], { gossipInterval: 1000 }),
    server('beta', [channel], { gossipInterval: 1000 }),
  ];
  await Promise.all([a.start(), b.start()]);
  await until(() => a.neighbours.size === 1 && b.neighbours.size === 1, 'alpha and beta to be neighbours');
  const leaver = await referenceUser('leaver', a.self, { keepAlive: 0 });
  const mu = await minimalUser({ alias: 'mu', server: b.self });
  await until(() => b.directory.lookup('leaver', Date.now()), 'beta to learn leaver from alpha');
  expect((await mu.find('leaver'))?.status).toBe('+OK');

  await leaver.exit();
  let heardGossip = false;
  b.on('packetIn', (packet) => {
    const fromAlpha = packet.kind === 'ServerCommand' && packet.sender.port === a.self.port;
    if (fromAlpha && packet.command.verb === 'KNOWNUSERS') heardGossip = true;
  });
  await until(() => heardGossip, "beta to hear alpha's next KNOWNUSERS");
  // That round of alpha's gossip is over ROUND ms after its last part: well within a second.
  await until(() => !b.directory.lookup('leaver', Date.now()), 'beta to drop leaver', 1000);
  const findAgain = await mu.find('leaver', 800);
  const answer = findAgain && wire({ received: [{ packet: findAgain }] })[0];
  expect(answer, 'a +OK still naming the departed user').toBeUndefined();
});
