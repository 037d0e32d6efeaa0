/**
 * End-to-end scenarios over real UDP sockets on 127.0.0.1 and real multicast on the loopback
 * interface. Durations are printed for the record, never asserted.
 */
import { describe, expect, test } from 'vitest';
import type { ChatMessage } from '../../src/node/index.ts';
import { aliases, problems, server, uniqueChannel, until, user } from './helpers.ts';

describe('discovery', () => {
  test('three servers discover each other', async () => {
    const channel = uniqueChannel();
    const started = Date.now();
    const [a, b, c] = [server('alpha', [channel]), server('beta', [channel]), server('gamma', [channel])];
    await Promise.all([a.start(), b.start(), c.start()]);
    await until(() => [a, b, c].every((s) => s.neighbours.size === 2), 'a full mesh');
    console.log(`discovery: three servers were full neighbours ${Date.now() - started} ms after starting`);
    expect(aliases(a.neighbours.list())).toEqual(['beta', 'gamma']);
    expect(aliases(b.neighbours.list())).toEqual(['alpha', 'gamma']);
    expect(aliases(c.neighbours.list())).toEqual(['alpha', 'beta']);
    expect(problems).toEqual([]);
  });

  test('a server with a taken alias is refused and renames', async () => {
    const channel = uniqueChannel();
    const [a, b, c] = [server('alpha', [channel]), server('beta', [channel]), server('gamma', [channel])];
    await Promise.all([a.start(), b.start(), c.start()]);
    const late = server('alpha', [channel]);
    const renames: string[] = [];
    late.on('aliasChanged', (from, to) => renames.push(`${from}->${to}`));
    const claimed = await late.start();
    expect(claimed.alias).toBe('alpha2');
    expect(renames).toEqual(['alpha->alpha2']);
    expect(a.alias).toBe('alpha');
    await until(() => a.neighbours.list().some((n) => n.alias === 'alpha2'), 'alpha to neighbour alpha2');
    expect(problems).toEqual([]);
  });

  test('two servers claiming one alias at once end with exactly one owner', async () => {
    const channel = uniqueChannel();
    const witness = server('witness', [channel]);
    await witness.start();
    const [x, y] = [server('dup', [channel]), server('dup', [channel])];
    await Promise.all([x.start(), y.start()]);
    expect([x.alias, y.alias].sort()).toEqual(['dup', 'dup2']);
    await until(() => aliases(witness.neighbours.list()).join() === 'dup,dup2', 'the witness to know both');
    expect(problems).toEqual([]);
  });
});

describe('channels', () => {
  test('JOINCHANNEL brings a neighbour onto a new channel, where a third server finds both', async () => {
    const [ch1, ch2] = [uniqueChannel(), uniqueChannel()];
    const [a, b] = [server('alpha', [ch1]), server('beta', [ch1])];
    await Promise.all([a.start(), b.start()]);
    expect(await a.inviteToChannel(b.self, ch2)).toBe('+OK');
    expect(b.channels).toEqual([ch1, ch2]);
    expect(a.channels).toEqual([ch1, ch2]);
    const c = server('gamma', [ch2]);
    await c.start();
    await until(() => c.neighbours.size === 2, 'gamma to neighbour both');
    expect(await a.inviteToChannel(b.self, { ip: '127.0.0.1', port: 9999 })).toBe('-ERR');
    expect(problems).toEqual([]);
  });
});

describe('finding users', () => {
  test('users on different servers find each other', async () => {
    const channel = uniqueChannel();
    const [a, b] = [server('alpha', [channel]), server('beta', [channel])];
    await Promise.all([a.start(), b.start()]);
    const [alice, bob] = await Promise.all([user('alice', a), user('bob', b)]);
    await until(() => a.directory.size > 0 && b.directory.size > 0, 'gossip');
    const started = Date.now();
    const found = await alice.find('bob');
    console.log(`cross-server FIND answered in ${Date.now() - started} ms`);
    expect(found).toEqual({ server: b.self, user: bob.self });
    expect(await bob.find('alice')).toEqual({ server: a.self, user: alice.self });
    expect(await alice.find('nobody')).toBeUndefined();
    expect(problems).toEqual([]);
  });

  test('a FIND crosses a server that bridges two channels', async () => {
    const [ch1, ch2] = [uniqueChannel(), uniqueChannel()];
    const a = server('alpha', [ch1]);
    const b = server('bridge', [ch1, ch2]);
    const c = server('gamma', [ch2]);
    await Promise.all([a.start(), b.start(), c.start()]);
    const alice = await user('alice', a);
    const carol = await user('carol', c);
    await until(() => b.directory.size >= 2, 'the bridge to learn both users');
    // alpha does not hear gamma's gossip: it forwards the FIND; the bridge answers alice directly.
    expect(a.directory.lookup('carol', Date.now())).toBeUndefined();
    const started = Date.now();
    const found = await alice.find('carol');
    console.log(`FIND across a bridge answered in ${Date.now() - started} ms`);
    expect(found).toEqual({ server: c.self, user: carol.self });
    expect(problems).toEqual([]);
  });
});

describe('rooms and messages', () => {
  test('a CSEND reaches every other member exactly once and no one else', async () => {
    const channel = uniqueChannel();
    const a = server('alpha', [channel]);
    await a.start();
    const [ann, ben, cat, dan] = await Promise.all([
      user('ann', a),
      user('ben', a),
      user('cat', a),
      user('dan', a),
    ]);
    const inbox = new Map<string, ChatMessage[]>();
    for (const u of [ann, ben, cat, dan]) {
      inbox.set(u.self.alias, []);
      u.on('message', (m) => inbox.get(u.self.alias)?.push(m));
    }
    await ann.createRoom('lobby');
    await ben.join('lobby');
    await cat.join('lobby');
    expect(aliases(await dan.who('lobby'))).toEqual(['ann', 'ben', 'cat']);
    expect(await dan.rooms()).toEqual(['lobby']);
    await ann.say('hello room');
    await ben.say('hi ann');
    const texts = (alias: string) => inbox.get(alias)?.length ?? 0;
    await until(() => texts('ann') === 1 && texts('ben') === 1 && texts('cat') === 2, 'the deliveries');
    // The server sent every delivery before its +OK to ben: a round trip of dan's comes after any to him.
    await dan.rooms();
    expect(inbox.get('ann')?.map((m) => m.text)).toEqual(['hi ann']);
    expect(inbox.get('ben')?.map((m) => m.text)).toEqual(['hello room']);
    expect(inbox.get('cat')?.map((m) => `${m.from.alias}:${m.room}:${m.text}`)).toEqual([
      'ann:lobby:hello room',
      'ben:lobby:hi ann',
    ]);
    expect(inbox.get('dan')).toEqual([]);
    await cat.leave('lobby');
    await ann.say('after cat left');
    await cat.rooms(); // after anything the server sent cat for ann's line
    expect(inbox.get('cat')).toHaveLength(2);
    await expect(dan.say('no room')).rejects.toMatchObject({ code: 'REFUSED' });
    await expect(dan.createRoom('lobby')).rejects.toMatchObject({ code: 'REFUSED' });
    expect(problems).toEqual([]);
  });

  test('a SEND to a user on another server is delivered exactly once', async () => {
    const channel = uniqueChannel();
    const [a, b] = [server('alpha', [channel]), server('beta', [channel])];
    await Promise.all([a.start(), b.start()]);
    const [alice, bob] = await Promise.all([user('alice', a), user('bob', b)]);
    await until(() => a.directory.lookup('bob', Date.now()), 'alpha to learn bob');
    const received: ChatMessage[] = [];
    bob.on('message', (m) => received.push(m));
    await alice.send('bob', 'hello bob');
    await until(() => received.length > 0, 'the message');
    // A second copy would have reached beta before bob's own request does: his round trip is the wait.
    await bob.rooms();
    expect(received).toEqual([{ kind: 'direct', from: alice.self, text: 'hello bob', via: b.self }]);
    // An alias alpha does not know is passed on to its neighbours, as a FIND is: nobody has it.
    await expect(alice.send('nobody', 'x')).rejects.toMatchObject({ code: 'REFUSED' });
    await bob.rooms();
    expect(received).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});

describe('directory', () => {
  test('gossip drops a user who EXITs', async () => {
    const channel = uniqueChannel();
    const [a, b] = [server('alpha', [channel]), server('beta', [channel])];
    await Promise.all([a.start(), b.start()]);
    const bob = await user('bob', b);
    await until(() => a.directory.lookup('bob', Date.now()), 'alpha to learn bob');
    await bob.exit();
    await until(() => a.directory.lookup('bob', Date.now()) === undefined, 'alpha to forget bob', 3000);
    expect(problems).toEqual([]);
  });
});
