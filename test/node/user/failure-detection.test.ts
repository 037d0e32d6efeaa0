/**
 * What a user node takes as its server's failure (Section II.iii). A spec-strict server may leave
 * a request unanswered (a FIND it cannot answer, Section II.vi; a command it does not implement),
 * so silence alone is not failure: the node confirms with PREFERRED, which every server answers,
 * and moves only when that goes unanswered too.
 */
import { afterEach, expect, test } from 'vitest';
import type { Packet } from '../../../src/ast.ts';
import { type ChatUser, createUserNode, MemoryNetwork } from '../../../src/node/index.ts';
import { reply, serverAt } from '../../../src/node/wire.ts';
import { until } from '../helpers.ts';
import { Peer } from '../server/parts.ts';

const opened: ChatUser[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
});

/** A server that answers PREFERRED (+OK, listing `backup`) and nothing else, while `answering`. */
async function strictServer(network: MemoryNetwork, port: number, backupPort: number) {
  const peer = await Peer.at(network, port);
  const self = serverAt(`s${port}`, peer.address);
  const state = { answering: true };
  peer.transport.on('datagram', (_data, from) => {
    const packet = peer.received.at(-1)?.packet as Packet;
    if (!state.answering || packet.kind !== 'UserCommand' || packet.command.verb !== 'PREFERRED') return;
    const backup = serverAt(`s${backupPort}`, { ip: '127.0.0.1', port: backupPort });
    peer.send(reply(self, '+OK', packet, { servers: [backup] }), from);
  });
  const verbs = () =>
    peer.received.map((r) => (r.packet.kind === 'UserCommand' ? r.packet.command.verb : ''));
  return { peer, self, state, verbs };
}

function userOn(network: MemoryNetwork, port: number) {
  const u = createUserNode({
    alias: 'ann',
    server: { ip: '127.0.0.1', port },
    transport: network.transport({ port: 5001 }),
    timeout: 50,
    retries: 3,
    keepAlive: 100,
  });
  opened.push(u);
  const moves: string[] = [];
  u.on('serverChanged', (to) => moves.push(`changed to ${to.alias}`));
  u.on('serverLost', () => moves.push('lost'));
  return { u, moves };
}

test('a FIND or a command a live server leaves unanswered ends the request, not the registration', async () => {
  const network = new MemoryNetwork();
  const home = await strictServer(network, 7000, 7001);
  await strictServer(network, 7001, 7000);
  const { u, moves } = userOn(network, 7000);
  await u.start();
  expect(await u.find('nobody')).toBeUndefined();
  await expect(u.rooms()).rejects.toMatchObject({ code: 'TIMEOUT' });
  // Idle for several keep-alive periods: each check is a PREFERRED, answered.
  const checks = home.verbs().filter((v) => v === 'PREFERRED').length;
  await until(
    () => home.verbs().filter((v) => v === 'PREFERRED').length >= checks + 3,
    'three keep-alives',
    5000,
    network.clock,
  );
  // LISTROOMS went out only for rooms(): the keep-alive does not use it.
  expect(home.verbs().filter((v) => v === 'LISTROOMS')).toHaveLength(3);
  expect(moves).toEqual([]);
  expect(u.server.port).toBe(7000);
});

test('a server that answers nothing, not even PREFERRED, is left for its neighbour', async () => {
  const network = new MemoryNetwork();
  const home = await strictServer(network, 7000, 7001);
  const backup = await strictServer(network, 7001, 7000);
  const { u, moves } = userOn(network, 7000);
  await u.start();
  home.state.answering = false;
  expect(await u.find('nobody')).toBeUndefined(); // asked again on the backup, which is silent too
  await until(() => moves.length > 0, 'a move', 5000, network.clock);
  expect(moves).toEqual(['changed to s7001']);
  // The node asked its old server PREFERRED before it left it.
  const afterFinds = home.verbs().slice(home.verbs().lastIndexOf('FIND') + 1);
  expect(afterFinds).toContain('PREFERRED');
  expect(backup.verbs()).toContain('PREFERRED');
});

test('after EXIT the node checks on its server no more, so it does not register itself again', async () => {
  const network = new MemoryNetwork();
  const home = await strictServer(network, 7000, 7001);
  const { u } = userOn(network, 7000);
  await u.start();
  // The strict server does not answer EXIT: its silence must not set off a PREFERRED check.
  await expect(u.exit()).rejects.toMatchObject({ code: 'TIMEOUT' });
  const afterExit = home.verbs().length;
  await network.clock.sleep(400); // four keep-alive periods
  expect(home.verbs().slice(afterExit)).toEqual([]);
  expect(home.verbs().filter((v) => v === 'EXIT')).toHaveLength(3);
});
