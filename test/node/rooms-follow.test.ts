/**
 * Rooms follow the user (the `followRooms` option) across failover and coming home, and a server
 * expires users it has not heard from, on the in-memory network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { type ChatUser, type Endpoint, MemoryNetwork } from '../../src/node/index.ts';
import { until } from './helpers.ts';
import { memoryNodes } from './memory-nodes.ts';

const channel: Endpoint = { ip: '239.1.2.4', port: 8450 };
const folder = mkdtempSync(join(tmpdir(), 'chat-proto-rooms-follow-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const { server, user } = memoryNodes(channel, {
  server: { gossipInterval: 100 },
  user: { followRooms: true },
});

/** Every roomRejoined and roomLost event of `u`, as text. */
function followed(u: ChatUser): string[] {
  const events: string[] = [];
  u.on('roomRejoined', (room, s, how) => events.push(`${how} ${room} on ${s.alias}`));
  u.on('roomLost', (room, s, error) => events.push(`lost ${room} on ${s.alias}: ${error.message}`));
  u.on('roomsFollowed', (s) => events.push(`done on ${s.alias}`));
  return events;
}

test('rooms follow two users to the backup and home again; the current room stays current', async () => {
  const network = new MemoryNetwork();
  const state = join(folder, 'alpha.json');
  const alpha = server(network, 'alpha', { state });
  const beta = server(network, 'beta');
  await Promise.all([alpha.start(), beta.start()]);
  await until(
    () => alpha.neighbours.size === 1 && beta.neighbours.size === 1,
    'alpha and beta to meet',
    5000,
    network.clock,
  );
  await alpha.stateWritten();
  const ann = await user(network, 'ann', alpha.self);
  const bob = await user(network, 'bob', alpha.self);
  const annEvents = followed(ann);
  const bobEvents = followed(bob);
  await ann.createRoom('lobby');
  await ann.createRoom('quiet');
  await ann.join('lobby'); // lobby is current again, quiet is still joined
  await bob.join('lobby');
  await bob.createRoom('gone');
  await bob.leave('gone');

  const oldPort = alpha.self.port;
  await alpha.close();
  await ann.rooms().catch(() => undefined); // meets the dead server and fails over
  await until(() => annEvents.length === 3, 'ann to rejoin her two rooms', 5000, network.clock);
  await bob.rooms().catch(() => undefined);
  await until(() => bobEvents.length === 2, 'bob to rejoin lobby', 5000, network.clock);
  expect(annEvents).toEqual(['created quiet on beta', 'created lobby on beta', 'done on beta']);
  expect(bobEvents).toEqual(['joined lobby on beta', 'done on beta']);
  expect(aliases(beta.rooms.members('lobby'))).toEqual(['ann', 'bob']);
  const heard: string[] = [];
  bob.on('message', (m) => heard.push(`${m.room}: ${m.text}`));
  await ann.say('still here'); // goes to lobby, the current room, not to quiet
  await until(() => heard.length === 1, 'bob to hear ann on beta', 5000, network.clock);
  expect(heard).toEqual(['lobby: still here']);

  const reborn = server(network, 'alpha', { state, port: oldPort + 1 });
  await reborn.start();
  await until(
    () => annEvents.length === 6 && bobEvents.length === 4,
    'both to rejoin at home',
    5000,
    network.clock,
  );
  // The restarted alpha was sent beta's rooms as it met beta: the rooms are joined, not made anew.
  expect(annEvents.slice(3, 5)).toEqual(['joined quiet on alpha', 'joined lobby on alpha']);
  expect(bobEvents[2]).toBe('joined lobby on alpha');
  expect([annEvents[5], bobEvents[3]]).toEqual(['done on alpha', 'done on alpha']);
  expect(aliases(reborn.rooms.members('lobby'))).toEqual(['ann', 'bob']);
  await until(
    () => beta.rooms.localNames().length === 0,
    'both to leave the backup with EXIT',
    5000,
    network.clock,
  );
});

test('a room that cannot be had on the new server is reported lost', async () => {
  const network = new MemoryNetwork();
  const alpha = server(network, 'alpha');
  const beta = server(network, 'beta', { limits: { rooms: 1 } });
  await Promise.all([alpha.start(), beta.start()]);
  await until(
    () => alpha.neighbours.size === 1 && beta.neighbours.size === 1,
    'alpha and beta to meet',
    5000,
    network.clock,
  );
  const ann = await user(network, 'ann', alpha.self);
  const events = followed(ann);
  await ann.createRoom('one');
  await ann.createRoom('two');
  await alpha.close();
  await ann.rooms().catch(() => undefined);
  await until(() => events.length === 3, 'ann to follow both rooms', 5000, network.clock);
  expect(events).toEqual([
    'created one on beta',
    'lost two on beta: JOINROOM refused: no room two',
    'done on beta',
  ]);
});

test('without followRooms a failover leaves the user in no room', async () => {
  const network = new MemoryNetwork();
  const alpha = server(network, 'alpha');
  const beta = server(network, 'beta');
  await Promise.all([alpha.start(), beta.start()]);
  await until(
    () => alpha.neighbours.size === 1 && beta.neighbours.size === 1,
    'alpha and beta to meet',
    5000,
    network.clock,
  );
  const ann = await user(network, 'ann', alpha.self, { followRooms: false });
  await ann.createRoom('lobby');
  await alpha.close();
  await ann.rooms().catch(() => undefined);
  await until(() => ann.server.alias === 'beta', 'ann to fail over', 5000, network.clock);
  expect(beta.rooms.size).toBe(0);
  await expect(ann.say('hello?')).rejects.toThrow(/join or create a room first/);
});

test('a server expires a user it has not heard from; a keep-alive keeps another registered', async () => {
  const network = new MemoryNetwork();
  const alpha = server(network, 'alpha', { userExpiry: 400 });
  await alpha.start();
  const expired: string[] = [];
  alpha.on('userExpired', (u) => expired.push(u.alias));
  const quiet = await user(network, 'quiet', alpha.self);
  const lively = await user(network, 'lively', alpha.self, { keepAlive: 100 });
  await quiet.createRoom('lobby');
  await lively.join('lobby');
  await until(() => expired.length > 0, 'quiet to expire', 5000, network.clock);
  expect(expired).toEqual(['quiet']);
  expect(alpha.registry.holding('quiet')).toBeUndefined();
  expect(aliases(alpha.rooms.members('lobby'))).toEqual(['lively']);
  // Long past quiet's expiry, the keep-alive has held lively in place.
  await network.clock.sleep(600);
  expect(alpha.registry.holding('lively')).toBeDefined();
  expect(expired).toEqual(['quiet']);
  await expect(quiet.list()).rejects.toThrow(/not registered here/);
});

function aliases(members: readonly { alias: string }[]): string[] {
  return members.map((m) => m.alias).sort();
}
