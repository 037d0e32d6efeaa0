/**
 * SENDs that cross the two implementations between servers: multicast by a minimal server to the
 * channel, and relayed through a minimal server that bridges two channels. Each message is
 * delivered exactly once.
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { bridgedByMinimal, minimalServer, minimalUser, referenceUser } from './nodes.ts';

test('a SEND multicast on the channel by a minimal server is delivered to the reference user once', async () => {
  const channel = uniqueChannel();
  const [host, other] = [server('host', [channel]), server('other', [channel])];
  await Promise.all([host.start(), other.start()]);
  const mini = await minimalServer({
    alias: 'mini',
    channels: [channel],
    gossipInterval: 300,
    remoteSend: 'multicast',
  });
  const [ru, mu] = await Promise.all([
    referenceUser('ru', host.self),
    minimalUser({ alias: 'mu', server: mini.self }),
  ]);
  const heard: string[] = [];
  ru.on('message', (m) => heard.push(`${m.from.alias}: ${m.text}`));
  await until(
    () =>
      [host, other].every((r) => r.neighbours.list().some((n) => n.alias === 'mini')) &&
      mini.directory.has('ru'),
    'the reference servers to neighbour mini, and mini to know ru',
  );
  await until(() => other.directory.lookup('ru', Date.now()), 'other to know where ru is');

  let otherGotIt = false;
  other.on('packetIn', (packet, from) => {
    if (from.port === mini.self.port && packet.kind === 'UserCommand' && packet.command.verb === 'SEND')
      otherGotIt = true;
  });
  const copies: string[] = [];
  host.on('packetIn', (packet, from) => {
    const who =
      from.port === mini.self.port ? 'mini' : from.port === other.self.port ? 'other' : `${from.port}`;
    if (packet.kind === 'UserCommand' && packet.command.verb === 'SEND') copies.push(`SEND from ${who}`);
  });
  expect((await mu.send('ru', 'once'))?.status).toBe('+OK');
  await until(() => heard.length > 0, 'ru to get the message').catch(() => undefined);
  // A second copy would be other passing mini's multicast on to host: once other has heard it,
  // anything it passed on reaches host before ru's own request does.
  await until(() => otherGotIt, 'other to hear the SEND too');
  await ru.find('ru');
  expect(heard, `host received: ${copies.join(', ')}`).toEqual(['mu: once']);
});

test('a user found two hops away through a bridging minimal server can be sent to', async () => {
  const { a, c, bridge, ann, cid } = await bridgedByMinimal();
  const heard: string[] = [];
  cid.on('message', (m) => heard.push(`${m.from.alias}: ${m.text}`));
  await until(
    () => a.neighbours.size === 1 && c.neighbours.size === 1 && bridge.directory.has('cid'),
    'the bridge to neighbour both and know cid',
  );

  expect(await ann.find('cid')).toEqual({ server: c.self, user: cid.self });
  const sent = await ann.send('cid', 'across').then(
    () => 'sent',
    (error: Error) => `refused: ${error.message}`,
  );
  await until(() => heard.length > 0, 'cid to get the message', 1500).catch(() => undefined);
  // The bridge passes a SEND on as it hears it: a second copy would reach gamma before cid's request.
  await cid.find('cid');
  expect({ sent, heard }).toEqual({ sent: 'sent', heard: ['ann: across'] });
});

test('a FIND a minimal server forwards is answered, straight to the user, by a reference server that knows the alias', async () => {
  const [left, right] = [uniqueChannel(), uniqueChannel()];
  const b = server('beta', [left, right]);
  const c = server('gamma', [right]);
  await Promise.all([b.start(), c.start()]);
  const mini = await minimalServer({ alias: 'mini', channels: [left], gossipInterval: 300 });
  const [mu, cid] = await Promise.all([
    minimalUser({ alias: 'mu', server: mini.self }),
    referenceUser('cid', c.self),
  ]);
  await until(
    () => mini.neighbours.has('beta') && b.directory.lookup('cid', Date.now()),
    'beta to neighbour mini and know cid',
  );
  expect(mini.directory.has('cid')).toBe(false);
  const found = await mu.find('cid');
  expect(found?.sender).toEqual(b.self);
  expect([found?.servers, found?.users]).toEqual([[c.self], [cid.self]]);
});
