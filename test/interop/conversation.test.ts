/**
 * A whole conversation across the two implementations: a minimal user on a minimal server and a
 * reference user on a reference server find each other and exchange messages, each delivered once.
 */
import { expect, test } from 'vitest';
import type { ChatMessage } from '../../src/node/index.ts';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer, minimalUser, referenceUser, wire } from './nodes.ts';

test('FIND and SEND both ways between a minimal and a reference user, each message delivered once', async () => {
  const channel = uniqueChannel();
  const reference = server('ref', [channel], { gossipInterval: 500 });
  await reference.start();
  const minimal = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 500 });
  await until(
    () => reference.neighbours.list().some((n) => n.alias === 'mini'),
    'the reference to neighbour mini',
  );
  const mu = await minimalUser({ alias: 'mu', server: minimal.self });
  const ru = await referenceUser('ru', reference.self);
  const heard: ChatMessage[] = [];
  ru.on('message', (m) => heard.push(m));
  await until(() => minimal.directory.has('ru'), 'mini to learn ru from gossip');
  await until(() => reference.directory.lookup('mu', Date.now()), 'the reference to learn mu from gossip');

  const found = await mu.find('ru');
  expect(found?.servers, wire(mu).join('\n')).toEqual([reference.self]);
  expect(found?.users).toEqual([ru.self]);
  expect(await ru.find('mu')).toEqual({ server: minimal.self, user: mu.self });

  expect((await mu.send('ru', 'hello from mu'))?.status).toBe('+OK');
  await until(() => heard.length > 0, 'ru to get the message');
  await ru.send('mu', 'hello from ru');
  await until(() => mu.deliveries.length > 0, 'mu to get the message');
  // A second copy sent with the first would arrive before the answer to a request sent after it.
  await ru.find('ru');
  await mu.find('mu');
  expect(heard.map((m) => [m.from.alias, m.text])).toEqual([['mu', 'hello from mu']]);
  expect(mu.deliveries.map((d) => [d.from.alias, d.text])).toEqual([['ru', 'hello from ru']]);
});
