/**
 * A node accepts what UDP carries and sends within 1,400 bytes: a minimal server does not split
 * its gossip, so its KNOWNUSERS for many users is one datagram of tens of kilobytes, and the
 * reference reads it all.
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer } from './nodes.ts';

test('a KNOWNUSERS of 1,800 users in one datagram (about 55 kB) from a minimal server is read', async () => {
  const channel = uniqueChannel();
  const reference = server('ref', [channel]);
  await reference.start();
  const mini = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 200 });
  for (let i = 0; i < 1800; i++) {
    const user = { kind: 'UserNode' as const, alias: `user${i}`, ip: '127.0.0.1', port: 10_000 + i };
    mini.users.set(user.alias, { user, prefers: 'mini' });
  }
  let largest = 0;
  reference.on('packetIn', (packet, from) => {
    if (
      from.port === mini.self.port &&
      packet.kind === 'ServerCommand' &&
      packet.command.verb === 'KNOWNUSERS'
    )
      largest = Math.max(largest, packet.command.users.length);
  });
  await until(() => largest === 1800, 'the reference to read a KNOWNUSERS of 1,800 users');
  await until(() => reference.directory.lookup('user1799', Date.now()), 'user1799 in the directory');
  expect(reference.directory.lookup('user0', Date.now())?.server.alias).toBe('mini');
  const sent = mini.sent.filter((s) => s.text.includes('KNOWNUSERS USERNODE user0 '));
  expect(Math.max(...sent.map((s) => Buffer.byteLength(s.text)))).toBeGreaterThan(50_000);
});
