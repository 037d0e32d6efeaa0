/**
 * Hostile datagrams over real UDP: forged commands for other users, a rogue DISCOVER for a taken
 * alias, and a fuzz run of random and mangled datagrams. After each, the victims keep working
 * and the server's counters account for what it received.
 */
import { createSocket, type Socket } from 'node:dgram';
import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { type Packet, parse } from '../../src/index.ts';
import type { ChatServer } from '../../src/node/index.ts';
import { heardFrom, server, uniqueChannel, until, user } from './helpers.ts';
import { hostileDatagram } from './hostile-datagrams.ts';

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A raw UDP socket on 127.0.0.1: the attacker. */
async function attacker(): Promise<{ socket: Socket; port: number; received: string[] }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received };
}

function sendTo(socket: Socket, target: ChatServer, data: string | Uint8Array): void {
  socket.send(data, target.self.port, '127.0.0.1');
}

test('forged EXIT, SETALIAS and REMOVE for another user, and a rogue DISCOVER, all fail', async () => {
  const channel = uniqueChannel();
  const hub = server('hub', [channel], { rateLimits: false });
  await hub.start();
  const bob = await user('bob', hub);
  await bob.addAlias('bobby');
  const eve = await attacker();
  const bobAt = `USERNODE bob 127.0.0.1 ${bob.self.port}`;
  const before = hub.counters.spoofed;

  // Commands in bob's name from eve's address: dropped, counted, never answered.
  sendTo(eve.socket, hub, `${bobAt} EXIT`);
  sendTo(eve.socket, hub, `${bobAt} SETALIAS USERNODE mallory 127.0.0.1 ${bob.self.port}`);
  sendTo(eve.socket, hub, `${bobAt} REMOVE bobby`);
  await until(() => hub.counters.spoofed === before + 3, 'three spoofed datagrams counted');

  // Under her own registration, eve may only touch her own aliases.
  const eveAt = `USERNODE eve 127.0.0.1 ${eve.port}`;
  sendTo(eve.socket, hub, `${eveAt} PREFERRED SERVER hub 127.0.0.1 ${hub.self.port}`);
  await until(() => eve.received.some((r) => r.includes('+OK')), 'eve to register');
  sendTo(eve.socket, hub, `${eveAt} REMOVE bobby`);
  sendTo(eve.socket, hub, `${eveAt} SETALIAS USERNODE mallory 127.0.0.1 ${bob.self.port}`);
  await until(() => eve.received.filter((r) => r.includes('-ERR')).length === 2, 'two refusals');
  expect(eve.received.join('\n')).toContain('bobby is not one of your extra aliases');
  expect(eve.received.join('\n')).toContain('the UserNode must have the sender address');

  // A rogue server claiming the hub's alias is refused and changes nothing.
  sendTo(eve.socket, hub, `SERVER hub 127.0.0.1 ${eve.port} DISCOVER hub`);
  await until(
    () => eve.received.some((r) => r.includes('DISCOVER hub') && r.includes('-ERR')),
    'the refusal',
  );
  expect(hub.alias).toBe('hub');

  // Bob is untouched: still registered under both aliases, and served.
  expect(hub.registry.holding('bob')?.user.port).toBe(bob.self.port);
  expect(hub.registry.holding('bobby')?.user.port).toBe(bob.self.port);
  expect((await bob.list()).map((u) => u.alias)).toEqual(expect.arrayContaining(['bob', 'bobby', 'eve']));
});

test('random, truncated and mutated datagrams never stop the server; every one is accounted for', async () => {
  const channel = uniqueChannel();
  const hub = server('hub', [channel], { rateLimits: false });
  await hub.start();
  const bob = await user('bob', hub);
  const eve = await attacker();
  const datagram = hostileDatagram(eve.port);
  const batches = fc.sample(fc.array(datagram, { minLength: 1, maxLength: 50 }), { numRuns: 8, seed: 42 });
  let sent = 0;
  for (const batch of batches) {
    const start = hub.counters.received;
    for (const data of batch) sendTo(eve.socket, hub, data);
    sent += batch.length;
    // Every datagram arrives on loopback and is counted (the server's own multicast echoes add to it).
    await until(() => hub.counters.received - start >= batch.length, 'the batch to be handled');
    // And the server still serves its user correctly.
    expect((await bob.list()).map((u) => u.alias)).toContain('bob');
  }
  expect(sent).toBeGreaterThan(50);
  expect(hub.counters.undecodable).toBeGreaterThan(0);
  // Every reply the server sent to the attacker parses: nothing malformed goes out.
  for (const r of eve.received) expect(() => parse(r)).not.toThrow();
});

test('a rogue server naming a live user in KNOWNUSERS does not take it over', async () => {
  const channel = uniqueChannel();
  // Slow gossip, so that home's own gossip cannot put things right within the test's window.
  const slow = { gossipInterval: 5000 };
  const [home, other] = [server('home', [channel], slow), server('other', [channel], slow)];
  await Promise.all([home.start(), other.start()]);
  const bob = await user('bob', home);
  const carol = await user('carol', other);
  await until(
    () => other.directory.lookup('bob', Date.now())?.server.port === home.self.port,
    'other to learn bob',
  );

  const eve = await attacker();
  // Should other ask home whether it lives before it judges the claim, home's answer ends the question.
  let homeAsked = false;
  let homeAnswered = false;
  const isDiscover = (packet: Packet) => {
    const command = packet.kind === 'ServerReply' ? packet.command : packet;
    return command.kind === 'ServerCommand' && command.command.verb === 'DISCOVER';
  };
  other.on('packetOut', (packet, to) => {
    if (packet.kind === 'ServerCommand' && isDiscover(packet) && to.port === home.self.port) homeAsked = true;
  });
  other.on('packetIn', (packet, from) => {
    if (packet.kind === 'ServerReply' && isDiscover(packet) && from.port === home.self.port)
      homeAnswered = true;
  });
  const heard = heardFrom(other, () => ({ ip: '127.0.0.1', port: eve.port }));
  const claim = `SERVER rogue 127.0.0.1 ${eve.port} KNOWNUSERS USERNODE bob 127.0.0.1 ${eve.port}`;
  sendTo(eve.socket, other, claim);
  sendTo(eve.socket, other, claim);
  await until(() => heard.count === 2 && (!homeAsked || homeAnswered), 'both claims judged');
  expect(other.directory.lookup('bob', Date.now())?.server.port).toBe(home.self.port);
  expect(await carol.find('bob')).toMatchObject({ server: { alias: 'home' }, user: { port: bob.self.port } });
});

test('forged answers to a DISCOVER never sent change nothing; an unpadded PREFERRED gets at most 3x its bytes', async () => {
  const channel = uniqueChannel();
  const hub = server('hub', [channel], { rateLimits: false });
  await hub.start();
  const bob = await user('bob', hub);
  const eve = await attacker();
  const hubAt = `SERVER hub 127.0.0.1 ${hub.self.port}`;

  // Answers "from" eve to a DISCOVER the hub never sent her: a -ERR would rename the hub, a +OK
  // would make her a neighbour and put her in bob's failover list.
  sendTo(
    eve.socket,
    hub,
    `SERVERREPLY SERVER eve 127.0.0.1 ${eve.port} -ERR ${hubAt} DISCOVER hub MESSAGE taken\0`,
  );
  sendTo(eve.socket, hub, `SERVERREPLY SERVER eve 127.0.0.1 ${eve.port} +OK ${hubAt} DISCOVER hub`);
  await until(() => hub.counters.unsolicited === 2, 'both answers ignored and counted');
  // And an answer in the name of a server on another host, from eve's address, is a forgery like
  // any other (another port of the named host would be taken as that server's: dispatch.ts).
  const spoofed = hub.counters.spoofed;
  sendTo(eve.socket, hub, `SERVERREPLY SERVER ally 10.0.0.2 ${bob.self.port} +OK ${hubAt} DISCOVER hub`);
  await until(() => hub.counters.spoofed === spoofed + 1, 'the forged answer counted');
  expect(hub.alias).toBe('hub');
  expect(hub.neighbours.size).toBe(0);

  // An unpadded PREFERRED pays for its answer (three times its bytes, credit.ts), and nothing
  // more: the answer goes to the address it came from, at most three times its size.
  const mallory = await attacker();
  let toMallory = 0;
  hub.on('packetOut', (_packet, to) => to.port === mallory.port && toMallory++);
  const preferred = `USERNODE mallory 127.0.0.1 ${mallory.port} PREFERRED ${hubAt}`;
  sendTo(mallory.socket, hub, preferred);
  // The answer, and whatever else the PREFERRED set off toward mallory, all arrived.
  await until(() => toMallory > 0 && mallory.received.length === toMallory, 'the answer');
  const answered = mallory.received.reduce((n, r) => n + r.length, 0);
  expect(answered).toBeLessThanOrEqual(3 * preferred.length);

  expect(bob.backups).toEqual([]);
  expect((await bob.list()).map((u) => u.alias).sort()).toEqual(['bob', 'mallory']);
});
