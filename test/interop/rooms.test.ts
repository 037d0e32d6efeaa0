/**
 * Rooms across the network next to a spec-strict server, over real UDP and multicast on
 * 127.0.0.1. The minimal server knows nothing of rooms: it ignores the room events and listings
 * its reference neighbours send it, keeps answering what the specification asks, and a room does
 * not cross it when it is the only path between two reference servers.
 */
import { expect, test } from 'vitest';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import { bridgedByMinimal, minimalServer, minimalUser, referenceUser } from './nodes.ts';

test('ann on alpha and bob on beta share a room over real UDP; a minimal server on the channel ignores it and still answers FIND', async () => {
  const channel = uniqueChannel();
  const [alpha, beta] = [server('alpha', [channel]), server('beta', [channel])];
  await Promise.all([alpha.start(), beta.start()]);
  const mini = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 300 });
  const [ann, bob] = await Promise.all([referenceUser('ann', alpha.self), referenceUser('bob', beta.self)]);
  const mu = await minimalUser({ alias: 'mu', server: mini.self });
  await until(
    () => [alpha, beta].every((s) => s.neighbours.size === 2) && mini.directory.has('ann'),
    'the three servers to neighbour one another, and mini to know ann',
  );
  const notices: string[] = [];
  ann.on('roomNotice', (n) => notices.push(`${n.member.alias} ${n.change} ${n.room}`));
  const heard: string[] = [];
  bob.on('message', (m) => heard.push(`${m.room} <${m.from.alias}> ${m.text}`));

  await ann.createRoom('lounge');
  await until(() => beta.rooms.has('lounge'), 'beta to know lounge');
  await bob.join('lounge');
  await until(() => notices.length > 0, 'ann to be told bob joined');
  expect(notices).toEqual(['bob joined lounge']);
  expect((await bob.who('lounge')).map((u) => u.alias)).toEqual(['bob', 'ann']);
  await ann.say('hello from alpha');
  await until(() => heard.length > 0, 'bob to hear ann');
  await bob.rooms(); // anything beta sent bob for ann's line has arrived before this answer
  expect(heard).toEqual(['lounge <ann> hello from alpha']);

  // mini was sent the room's traffic as a neighbour and answered none of it.
  const answeredRooms = mini.received.filter(
    (r) => r.packet.kind === 'ServerReply' && r.packet.command.kind === 'UserCommand',
  );
  expect(answeredRooms.length).toBeGreaterThan(0);
  const found = await mu.find('bob');
  expect(found?.status).toBe('+OK');
  expect(found?.users).toEqual([bob.self]);
});

test('a room does not cross a minimal server that is the only path between two reference servers', async () => {
  const { a, c, bridge, ann, cid } = await bridgedByMinimal();
  await until(() => a.neighbours.size === 1 && c.neighbours.size === 1, 'the bridge to neighbour both');
  await ann.createRoom('lounge');
  const event = (r: (typeof bridge.received)[number]) =>
    r.packet.kind === 'ServerReply' &&
    r.packet.command.kind === 'UserCommand' &&
    r.packet.command.command.verb === 'CREATEROOM';
  // Had the bridge passed alpha's event on, gamma would have it as soon as the bridge did.
  await until(() => bridge.received.some(event), "alpha's CREATEROOM event to reach the bridge");
  await expect(cid.join('lounge')).rejects.toThrow('no room lounge');
  await cid.createRoom('lounge'); // gamma's users have a lounge of their own
  expect((await cid.who('lounge')).map((u) => u.alias)).toEqual(['cid']);
  expect((await ann.who('lounge')).map((u) => u.alias)).toEqual(['ann']);
});
