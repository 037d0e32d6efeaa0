/**
 * The user node's session as a state machine (session-table.ts, session.ts): every named
 * transition is reached by a node on the in-memory network, driven by scripted servers, and an
 * event the table does not allow in a state changes nothing.
 */
import { afterEach, expect, test } from 'vitest';
import type { Packet, Server } from '../../../src/ast.ts';
import { type ChatUser, createUserNode, MemoryNetwork } from '../../../src/node/index.ts';
import { nextState, type SessionEvent, STATES, TRANSITIONS } from '../../../src/node/user/session-table.ts';
import { reply, serverAt } from '../../../src/node/wire.ts';
import { until } from '../helpers.ts';
import { Peer } from '../server/parts.ts';

const EVENTS = Object.keys(TRANSITIONS) as SessionEvent[];

const opened: ChatUser[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
});

/** ann, registering with the server at port 7000, with fast timings; closed after the test. */
function annOn(network: MemoryNetwork, keepAlive = 100): ChatUser {
  const u = createUserNode({
    alias: 'ann',
    server: { ip: '127.0.0.1', port: 7000 },
    transport: network.transport({ port: 5001 }),
    timeout: 50,
    retries: 3,
    keepAlive,
  });
  opened.push(u);
  return u;
}

/** A server that answers every user command +OK, naming `neighbour`, while `answering`. */
async function scriptedServer(network: MemoryNetwork, port: number, neighbourPort: number) {
  const peer = await Peer.at(network, port);
  const self = serverAt(`s${port}`, peer.address);
  const neighbour = serverAt(`s${neighbourPort}`, { ip: '127.0.0.1', port: neighbourPort });
  const state = { answering: true };
  peer.transport.on('datagram', (_data, from) => {
    const packet = peer.received.at(-1)?.packet as Packet;
    if (state.answering && packet.kind === 'UserCommand') {
      peer.send(reply(self, '+OK', packet, { servers: [neighbour] }), from);
    }
  });
  /** Section II.v: the server, back, tells a user who prefers it. */
  const callHome = (user: ChatUser) =>
    peer.send(
      { kind: 'ServerCommand', sender: self, command: { verb: 'PREFERRED', server: self } },
      user.self,
    );
  return { self, state, callHome };
}

test('a node walks every named transition of its session, each from a state that allows it', async () => {
  const network = new MemoryNetwork();
  const home = await scriptedServer(network, 7000, 7001);
  const backup = await scriptedServer(network, 7001, 7000);
  const u = annOn(network);
  const walked: string[] = [];
  const taken = new Set<SessionEvent>();
  const offTable: string[] = [];
  u.on('state', (to, from, event) => {
    walked.push(`${from} -${event}-> ${to}`);
    taken.add(event);
    // The event the node reports is one its table allows, and `state` already says where it led.
    if (nextState(from, event) !== to || u.state !== to) offTable.push(`${from} -${event}-> ${to}`);
  });
  const warnings: Error[] = [];
  u.on('warning', (w) => warnings.push(w));
  const reached = (step: string) => until(() => walked.includes(step), step, 10_000, network.clock);
  const on = (server: Server) =>
    until(() => u.server.port === server.port, `on ${server.alias}`, 10_000, network.clock);

  expect(u.state).toBe('unregistered');
  await u.start();
  expect(walked).toEqual(['unregistered -registered-> registered']);

  // The keep-alive checks the idle node's server, which answers.
  await reached('registered -serverSilent-> checking');
  await reached('checking -serverAnswered-> registered');

  // Home stops answering: checked, failed, and a neighbour takes the node.
  home.state.answering = false;
  await reached('checking -serverFailed-> failingOver');
  await reached('failingOver -backupTook-> registered');
  await on(backup.self);

  // Home is back and calls; the backup vouches for it (it names home as its neighbour).
  home.state.answering = true;
  home.callHome(u);
  await reached('registered -calledHome-> calledHome');
  await reached('calledHome -homeTook-> registered');
  await on(home.self);

  // Home fails again; this time, called back, it does not answer: the node stays on the backup.
  home.state.answering = false;
  walked.length = 0;
  await on(backup.self);
  home.callHome(u);
  await reached('calledHome -homeSilent-> registered');
  expect(u.server.port).toBe(backup.self.port);
  expect(warnings.at(-1)).toMatchObject({ code: 'TIMEOUT' });

  // The backup fails too, and nobody else is left: the node is lost, and requests say so.
  backup.state.answering = false;
  await reached('failingOver -noBackup-> lost');
  await expect(u.list()).rejects.toMatchObject({ code: 'NO_SERVER' });

  // The lost node keeps asking (rejoin.ts): the server it was last on takes it back once it answers.
  backup.state.answering = true;
  await reached('lost -serverFound-> registered');
  await on(backup.self);

  await u.exit();
  expect(walked.at(-1)).toBe('registered -exited-> unregistered');
  await u.close();
  expect(walked.at(-1)).toBe('unregistered -closed-> closed');

  expect([...taken].sort()).toEqual([...EVENTS].sort());
  expect(offTable).toEqual([]);
});

test('a call home or an EXIT that comes during a check is taken once the check is over', async () => {
  const network = new MemoryNetwork();
  const home = await scriptedServer(network, 7000, 7001);
  const backup = await scriptedServer(network, 7001, 7000);
  const u = annOn(network);
  const walked: string[] = [];
  u.on('state', (to, from, event) => walked.push(`${from} -${event}-> ${to}`));
  const reached = (step: string) => until(() => walked.includes(step), step, 10_000, network.clock);
  const checking = () => until(() => u.state === 'checking', 'a check', 10_000, network.clock);
  await u.start();

  // On the backup, which falls silent for a moment: home calls while the backup is checked.
  home.state.answering = false;
  await reached('failingOver -backupTook-> registered');
  home.state.answering = true;
  backup.state.answering = false;
  walked.length = 0;
  await checking();
  home.callHome(u);
  await network.clock.sleep(20);
  expect(u.state).toBe('checking'); // the call waits for the check
  backup.state.answering = true;
  await reached('calledHome -homeTook-> registered');
  expect(walked).toEqual([
    'registered -serverSilent-> checking',
    'checking -serverAnswered-> registered',
    'registered -calledHome-> calledHome',
    'calledHome -homeTook-> registered',
  ]);

  // Home falls silent; while it is checked the user gives up on an EXIT (it waits, as requests
  // do): the node leaves once the change is over, and checks on nobody after that.
  home.state.answering = false;
  walked.length = 0;
  await checking();
  const abort = new AbortController();
  const exiting = u.exit({ signal: abort.signal });
  abort.abort();
  await expect(exiting).rejects.toMatchObject({ name: 'AbortError' });
  expect(u.state).not.toBe('unregistered');
  await reached('registered -exited-> unregistered');
  expect(walked).toEqual([
    'registered -serverSilent-> checking',
    'checking -serverFailed-> failingOver',
    'failingOver -backupTook-> registered',
    'registered -exited-> unregistered',
  ]);
  await network.clock.sleep(500); // five keep-alive periods
  expect(walked.at(-1)).toBe('registered -exited-> unregistered');
});

test('every event leads where the table says from the states it names, and nowhere from the others', () => {
  for (const event of EVENTS) {
    const { from, to } = TRANSITIONS[event];
    for (const state of STATES) {
      expect(nextState(state, event)).toBe((from as readonly string[]).includes(state) ? to : undefined);
    }
  }
  // A few refusals stated outright, as the specification reads them.
  expect(nextState('unregistered', 'serverSilent')).toBeUndefined(); // no server to check
  expect(nextState('lost', 'serverSilent')).toBeUndefined();
  expect(nextState('lost', 'calledHome')).toBeUndefined();
  expect(nextState('checking', 'calledHome')).toBeUndefined(); // taken after the check
  expect(nextState('failingOver', 'exited')).toBeUndefined(); // taken after the change
  for (const event of EVENTS) expect(nextState('closed', event)).toBeUndefined();
  // @ts-expect-error: not an event of the session
  expect(nextState('registered', 'teleported')).toBeUndefined();
});

test('a node closed while its server is checked stays closed, and its waiting request fails with CLOSED', async () => {
  const network = new MemoryNetwork();
  const home = await scriptedServer(network, 7000, 7001);
  const u = annOn(network, 0);
  await u.start();
  home.state.answering = false;
  const listing = u.list();
  const failed = expect(listing).rejects.toMatchObject({ code: 'CLOSED' });
  await until(() => u.state === 'checking', 'checking', 5000, network.clock);
  await u.close();
  await failed;
  await network.clock.sleep(1000); // the check's tries run out: its ending changes nothing
  expect(u.state).toBe('closed');
});

test('lag is the round trip of the latest answered request', async () => {
  const network = new MemoryNetwork({ delayMs: 20 });
  await scriptedServer(network, 7000, 7001);
  const u = annOn(network, 0);
  expect(u.lag).toBeUndefined();
  await u.start();
  // Virtual time: 20 ms there and 20 ms back, exactly.
  expect(u.lag).toBe(40);
  network.delayMs = 5;
  await u.join('lobby');
  expect(u.lag).toBe(10);
});
