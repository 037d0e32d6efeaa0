/**
 * Attacks from a host on the same LAN with its own address (docs/security.md), over real UDP on
 * loopback: each test sends what the attack sends and checks that it no longer works.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import type { Packet, UserCommand } from '../../src/index.ts';
import { parse, serialize } from '../../src/index.ts';
import { createServer, type Endpoint, MemoryNetwork } from '../../src/node/index.ts';
import { SeenSet } from '../../src/node/server/seen-set.ts';
import { encode, FAILOVER_LIST, PADDED } from '../../src/node/wire.ts';
import { heardFrom, problems, server, uniqueChannel, until, user } from './helpers.ts';

/** An attacker's socket on 127.0.0.1: sends raw text, records what comes back. */
class Attacker {
  readonly received: Packet[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (data) => this.received.push(parse(data)));
  }

  /** On `port` (0: any free one), joined to `channel` if given, as a server on the LAN would be. */
  static async open(port = 0, channel?: Endpoint): Promise<Attacker> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    const attacker = new Attacker(socket);
    attackers.push(attacker);
    if (channel) await attacker.listen(channel);
    return attacker;
  }

  /** Also hears a multicast channel (a second socket bound to the group, on loopback). */
  async listen(channel: Endpoint): Promise<void> {
    const group = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve) => group.bind(channel.port, channel.ip, () => resolve()));
    group.addMembership(channel.ip, '127.0.0.1');
    group.on('message', (data) => this.received.push(parse(data)));
    this.#extra.push(group);
  }

  readonly #extra: Socket[] = [];

  get address(): Endpoint {
    const { address, port } = this.#socket.address();
    return { ip: address, port };
  }

  send(text: string, to: Endpoint, padTo = 0): void {
    this.#socket.send(Buffer.from(text.padEnd(padTo, ' ')), to.port, to.ip);
  }

  close(): void {
    this.#socket.close();
    for (const socket of this.#extra) socket.close();
  }
}

const attackers: Attacker[] = [];
afterEach(() => {
  for (const a of attackers.splice(0)) a.close();
});

const replies = (a: Attacker) => a.received.filter((p) => p.kind === 'ServerReply').map((p) => serialize(p));

/** A rogue on 127.0.0.1 that `alpha` has taken as a neighbour: it answered alpha's greeting. */
async function rogueNeighbour(alpha: ReturnType<typeof server>) {
  const rogue = await Attacker.open();
  const me = `SERVER rogue ${rogue.address.ip} ${rogue.address.port}`;
  rogue.send(`${me} DISCOVER rogue`, alpha.self, 256);
  await until(() => rogue.received.find((p) => p.kind === 'ServerCommand'), 'the greeting');
  rogue.send(
    `SERVERREPLY ${me} +OK ${serialize(rogue.received.find((p) => p.kind === 'ServerCommand') as Packet)}`,
    alpha.self,
  );
  await until(() => alpha.neighbours.size === 1, 'the rogue as a neighbour');
  return { rogue, me };
}

describe('JOINCHANNEL', () => {
  test('invitations from a stranger are refused and join nothing', async () => {
    const alpha = server('alpha', [uniqueChannel()]);
    await alpha.start();
    const attacker = await Attacker.open();
    const me = `SERVER rogue ${attacker.address.ip} ${attacker.address.port}`;
    for (let i = 0; i < 40; i++) attacker.send(`${me} JOINCHANNEL 239.254.0.${i + 1} 8450`, alpha.self, 256);
    await until(() => attacker.received.length === 40, '40 answers');
    expect(alpha.channels).toHaveLength(1);
    expect(new Set(replies(attacker).map((r) => r.split(' MESSAGE ')[1]))).toEqual(
      new Set(['JOINCHANNEL is taken only from a neighbour server\0']),
    );
    expect(problems).toEqual([]);
  });

  test('a neighbour cannot make a server join more than limits.channels, nor port 0', async () => {
    const ch = uniqueChannel();
    const [a, b] = [server('alpha', [ch]), server('beta', [ch], { limits: { channels: 3 } })];
    await Promise.all([a.start(), b.start()]);
    await until(() => b.neighbours.size === 1 && a.neighbours.size === 1, 'neighbours');
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(await a.inviteToChannel(b.self, { ip: `239.254.1.${i + 1}`, port: 18451 }));
    expect(statuses).toEqual(['+OK', '+OK', '-ERR', '-ERR']);
    expect(b.channels).toHaveLength(3);
    expect(await a.inviteToChannel(b.self, { ip: '239.254.2.1', port: 0 })).toBe('-ERR');
    expect(b.channels.filter((c) => c.port === 0)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

/** A user node's server played by a raw socket, so a test decides what the server answers. */
class FakeServer {
  readonly socket: Attacker;
  /** Answers to give, by verb; a verb not here is answered +OK at once. */
  readonly delays = new Map<string, number>();

  private constructor(socket: Attacker) {
    this.socket = socket;
  }

  static async open(): Promise<FakeServer> {
    const fake = new FakeServer(await Attacker.open());
    return fake;
  }

  get self(): Endpoint & { alias: string } {
    return { alias: 'home', ...this.socket.address };
  }

  get name(): string {
    return `SERVER home ${this.socket.address.ip} ${this.socket.address.port}`;
  }
}

/** Starts a user registered with a fake server that answers +OK to everything, after `delays`. */
async function userOfFake(fake: FakeServer, alias: string) {
  const socket = fake.socket;
  // Answer each request as a server would: +OK echoing it, from the fake server's address.
  const answered = new Set<number>();
  const timer = setInterval(() => {
    socket.received.forEach((packet, i) => {
      if (answered.has(i) || packet.kind !== 'UserCommand') return;
      answered.add(i);
      const delay = fake.delays.get(packet.command.verb) ?? 0;
      setTimeout(
        () => socket.send(`SERVERREPLY ${fake.name} +OK ${serialize(packet)}`, packet.sender),
        delay,
      );
    });
  }, 5);
  timers.push(timer);
  return user(alias, { self: fake.self } as never, { keepAlive: 0 });
}

const timers: NodeJS.Timeout[] = [];
afterEach(() => {
  for (const t of timers.splice(0)) clearInterval(t);
});

describe('the user node believes only its server', () => {
  test('a call home from an address its server does not vouch for moves nobody (one datagram, no spoofing)', async () => {
    const ch = uniqueChannel();
    const gamma = server('gamma', [ch]);
    await gamma.start();
    const ann = await user('ann', gamma);
    const attacker = await Attacker.open();
    const heard = heardFrom(ann, () => attacker.address);
    const rogue = `SERVER gamma ${attacker.address.ip} ${attacker.address.port}`;
    attacker.send(`${rogue} PREFERRED ${rogue}`, ann.self);
    await until(() => heard.count === 1, 'ann to hear the call home');
    await ann.send('ann', 'still here');
    expect(ann.server.port).toBe(gamma.self.port);
    expect(attacker.received).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('a user away from home is not called home by an address its backup does not vouch for', async () => {
    const ch = uniqueChannel();
    const [alpha, beta] = [server('alpha', [ch]), server('beta', [ch])];
    await Promise.all([alpha.start(), beta.start()]);
    await until(() => alpha.neighbours.size === 1 && beta.neighbours.size === 1, 'neighbours');
    const ann = await user('ann', alpha);
    await until(() => ann.backups.length === 1, 'ann to learn her backup');
    await alpha.close();
    await ann.rooms().catch(() => undefined); // meets the dead server, fails over
    await until(() => ann.server.alias === 'beta', 'ann on beta');
    const attacker = await Attacker.open();
    const heard = heardFrom(ann, () => attacker.address);
    const rogue = `SERVER alpha ${attacker.address.ip} ${attacker.address.port}`;
    attacker.send(`${rogue} PREFERRED ${rogue}`, ann.self);
    await until(() => heard.count === 1, 'ann to hear the call home');
    await ann.send('ann', 'still on beta');
    expect(ann.server.alias).toBe('beta');
    expect(attacker.received).toEqual([]);
  });

  test('a backup hands its guest list only to a neighbour holding the alias, never to a stranger naming it', async () => {
    const ch = uniqueChannel();
    const beta = server('beta', [ch]);
    await beta.start();
    const attacker = await Attacker.open();
    const rogue = `SERVER alpha ${attacker.address.ip} ${attacker.address.port}`;
    // A guest preferring alpha.
    const guest = await Attacker.open();
    guest.send(
      `USERNODE ann ${guest.address.ip} ${guest.address.port} PREFERRED SERVER alpha 127.0.0.1 9000`,
      beta.self,
      1200,
    );
    await until(() => beta.registry.holding('ann'), 'the guest to register');
    attacker.send(`${rogue} PREFERRED ${rogue}`, beta.self, 256);
    await until(() => attacker.received.length > 0, 'an answer');
    expect(replies(attacker)).toEqual([
      `SERVERREPLY ${beta.self.kind.toUpperCase()} beta 127.0.0.1 ${beta.self.port} -ERR ${rogue} PREFERRED ${rogue} MESSAGE PREFERRED is answered only to a neighbour holding alpha\0`,
    ]);
  });

  test('a delivery is taken only from the user node’s own server', async () => {
    const ch = uniqueChannel();
    const alpha = server('alpha', [ch]);
    await alpha.start();
    const ann = await user('ann', alpha);
    const messages: string[] = [];
    ann.on('message', (m) => messages.push(m.text));
    const attacker = await Attacker.open();
    const heard = heardFrom(ann, () => attacker.address);
    const ceo = 'USERNODE ceo 127.0.0.1 5999';
    const forged = (server: string) => `SERVERREPLY ${server} +OK ${ceo} SEND ann MESSAGE wire the money\0`;
    // Naming alpha from another host is test/node/user/server-host.test.ts's (here every node is on
    // 127.0.0.1, alpha's host, whose other ports count as alpha).
    attacker.send(forged(`SERVER alpha ${attacker.address.ip} ${attacker.address.port}`), ann.self); // its own address
    await until(() => heard.count === 1, 'ann to hear the forgery');
    const bob = await user('bob', alpha);
    await bob.send('ann', 'real');
    await until(() => messages.length > 0, 'the real message');
    expect(messages).toEqual(['real']);
  });

  test('a forged +OK to a FIND, and a forged -ERR to a request in flight, are not believed', async () => {
    const fake = await FakeServer.open();
    fake.delays.set('CREATEROOM', 200);
    fake.delays.set('FIND', 200);
    const ann = await userOfFake(fake, 'ann');
    const attacker = await Attacker.open();
    const evil = `SERVER evil ${attacker.address.ip} ${attacker.address.port}`;
    ann.on('packetOut', (packet) => {
      if (packet.kind !== 'UserCommand') return;
      const echo = serialize(packet);
      if (packet.command.verb === 'CREATEROOM')
        attacker.send(`SERVERREPLY ${evil} -ERR ${echo} MESSAGE no\0`, ann.self);
      if (packet.command.verb === 'FIND')
        attacker.send(
          `SERVERREPLY ${evil} +OK ${echo} ${evil} USERNODE zed ${attacker.address.ip} 6666`,
          ann.self,
        );
    });
    await expect(ann.createRoom('lobby')).resolves.toBeUndefined();
    // The fake server's answer is a bare +OK with no location: FIND finds nobody, not the attacker.
    expect(await ann.find('zed')).toBeUndefined();
  });

  test('a delivery is taken in both shapes from its server (the +OK echo, or the SEND passed on), and neither from a stranger', async () => {
    const fake = await FakeServer.open();
    const ann = await userOfFake(fake, 'ann');
    const heard: string[] = [];
    ann.on('message', (m) =>
      heard.push(`${m.kind} ${m.from.alias}: ${m.text}${m.via ? ` via ${m.via.alias}` : ''}`),
    );
    const pf = 'USERNODE pf 127.0.0.1 5998';
    fake.socket.send(`${pf} SEND ann MESSAGE passed on\0`, ann.self);
    fake.socket.send(`SERVERREPLY ${fake.name} +OK ${pf} SEND ann MESSAGE echoed\0`, ann.self);
    fake.socket.send(`${pf} CSEND MESSAGE to the room\0`, ann.self);
    const stranger = await Attacker.open();
    const fromStranger = heardFrom(ann, () => stranger.address);
    stranger.send(`${pf} SEND ann MESSAGE forged\0`, ann.self);
    await until(() => heard.length === 3 && fromStranger.count === 1, 'three deliveries and the forgery');
    expect(heard).toEqual([
      'direct pf: passed on via home',
      'direct pf: echoed via home',
      'room pf: to the room via home',
    ]);
  });

  test('a server listing thousands of servers gives a failover list of at most FAILOVER_LIST', async () => {
    const fake = await FakeServer.open();
    const ann = await userOfFake(fake, 'ann');
    const servers = Array.from({ length: 1900 }, (_, i) => `SERVER s${i} 127.0.0.1 ${10000 + i}`).join(' ');
    fake.socket.send(`${fake.name} KNOWNSERVERS ${servers}`, ann.self);
    await until(() => ann.backups.length > 0, 'the list');
    expect(ann.backups).toHaveLength(FAILOVER_LIST);
  });

  test('messages() holds at most messageBuffer bytes for a reader that falls behind, and says how many it dropped', async () => {
    const ch = uniqueChannel();
    const alpha = server('alpha', [ch]);
    await alpha.start();
    const bob = await user('bob', alpha, { messageBuffer: 2048 });
    const ann = await user('ann', alpha);
    const warnings: string[] = [];
    bob.removeAllListeners('warning');
    bob.on('warning', (w) => warnings.push(w.message));
    const reader = bob.messages();
    const first = reader.next(); // the reader starts, then falls behind
    let heard = 0;
    bob.on('message', () => heard++);
    for (let i = 0; i < 30; i++) await ann.send('bob', `message ${i} ${'x'.repeat(200)}`);
    await until(() => heard === 30, 'all 30 to arrive');
    const read: string[] = [(await first).value?.text.split(' ')[1] ?? ''];
    await bob.close(); // ends the iterator once what it holds is read
    for await (const m of { [Symbol.asyncIterator]: () => reader }) read.push(m.text.split(' ')[1] ?? '');
    // 2048 bytes hold a few 200-byte messages: the newest are kept, the rest dropped and counted.
    expect(read.length).toBeLessThan(8);
    expect(read.at(-1)).toBe('29');
    expect(warnings).toEqual([expect.stringMatching(/^messages\(\): \d+ dropped, the reader fell behind$/)]);
    const dropped = Number(/(\d+) dropped/.exec(warnings[0] ?? '')?.[1]);
    expect(dropped + read.length).toBe(30);
  });
});

describe('no reply exceeds the datagram limit', () => {
  test('a CREATEROOM of any size UDP carries is read and a long room name refused within 1,400 bytes; LISTROOMS of 100 rooms fits one datagram', async () => {
    const alpha = server('alpha', [uniqueChannel()], { rateLimits: false });
    await alpha.start();
    const attacker = await Attacker.open();
    const me = `USERNODE mallory ${attacker.address.ip} ${attacker.address.port}`;
    attacker.send(`${me} PREFERRED SERVER alpha 127.0.0.1 ${alpha.self.port}`, alpha.self, 1200);
    await until(() => alpha.registry.holding('mallory'), 'mallory to register');
    attacker.send(`${me} CREATEROOM ${'r'.repeat(65_400)}`, alpha.self);
    attacker.send(`${me} CREATEROOM ${'r'.repeat(2000)}`, alpha.self);
    attacker.send(`${me} CREATEROOM ${'r'.repeat(600)}`, alpha.self);
    for (let i = 0; i < 100; i++)
      attacker.send(`${me} CREATEROOM ${String(i).padStart(32, 'r')}`, alpha.self);
    await until(() => alpha.rooms.size === 100, '100 rooms');
    await until(() => replies(attacker).filter((r) => r.includes('-ERR')).length === 3, 'three refusals');
    expect(alpha.counters.oversize).toBe(0);
    // The echo of a request too long to echo whole is cut (src/node/echo.ts); the reason is kept.
    expect(replies(attacker).filter((r) => r.includes('-ERR'))).toEqual([
      expect.stringMatching(/CREATEROOM r+ MESSAGE r{16}\.\.\. is 65400 characters; a name is at most 32\0$/),
      expect.stringMatching(/CREATEROOM r+ MESSAGE r{16}\.\.\. is 2000 characters; a name is at most 32\0$/),
      expect.stringMatching(
        /CREATEROOM r{600} MESSAGE r{16}\.\.\. is 600 characters; a name is at most 32\0$/,
      ),
    ]);
    for (const text of replies(attacker)) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1400);

    const ann = await user('ann', alpha, { keepAlive: 100 });
    const sent: number[] = [];
    alpha.on('packetOut', (_packet, to) => to.port === ann.self.port && sent.push(0));
    const listed = await ann.rooms();
    expect(listed.length).toBeGreaterThan(20);
    expect(listed.length).toBeLessThan(100);
    const moved: string[] = [];
    ann.on('serverChanged', (to) => moved.push(to.alias));
    let keptAlive = 0;
    ann.on('packetIn', (packet) => {
      if (packet.kind === 'ServerReply' && packet.command.command.verb === 'PREFERRED') keptAlive++;
    });
    // Eight keep-alives, each a PREFERRED, each answered.
    await until(() => keptAlive >= 8, 'eight keep-alives answered');
    expect(moved).toEqual([]);
    expect(ann.server.alias).toBe('alpha');
    expect(problems).toEqual([]);
  });

  test('LIST of a large directory fits one datagram and says how many it left out', async () => {
    const alpha = server('alpha', [uniqueChannel()], { rateLimits: false });
    await alpha.start();
    const users = await Promise.all(Array.from({ length: 40 }, () => Attacker.open()));
    users.forEach((u, i) => {
      const alias = String(i).padStart(32, 'u');
      u.send(
        `USERNODE ${alias} ${u.address.ip} ${u.address.port} PREFERRED SERVER alpha 127.0.0.1 ${alpha.self.port}`,
        alpha.self,
        1200,
      );
    });
    await until(() => alpha.registry.size === 40, '40 users');
    const asker = users[0] as Attacker;
    asker.received.length = 0;
    asker.send(
      `USERNODE ${'0'.padStart(32, 'u')} ${asker.address.ip} ${asker.address.port} LIST`,
      alpha.self,
    );
    await until(() => replies(asker).length === 1, 'the LIST reply');
    const text = replies(asker)[0] as string;
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(1400);
    const listed = (text.match(/USERNODE u/g) ?? []).length - 1; // the echoed LIST names its sender
    expect(text).toMatch(
      new RegExp(`MESSAGE ${40 - listed} more not listed: a reply is at most 1400 bytes\0$`),
    );
  });
});

/** An attacker bound to a port below `port`, so it wins a lower-address tie-break. */
async function attackerBelow(port: number): Promise<Attacker> {
  for (let tries = 0; tries < 20; tries++) {
    const candidate = 1000 + Math.floor(Math.random() * Math.min(8000, port - 1000));
    const attacker = await Attacker.open(candidate).catch(() => undefined);
    if (attacker) return attacker;
  }
  throw new Error(`no free port below ${port}`);
}

describe('names are not taken over', () => {
  test('gossip naming our alias from a lower address renames nobody unless that address itself defends it', async () => {
    const alpha = server('alpha', [uniqueChannel()], { port: 40000 + Math.floor(Math.random() * 20000) });
    await alpha.start();
    const attacker = await attackerBelow(alpha.self.port);
    const heard = heardFrom(alpha, () => attacker.address);
    const asked: string[] = [];
    alpha.on('packetOut', (packet, to) => to.port === attacker.address.port && asked.push(serialize(packet)));
    const me = `SERVER alpha ${attacker.address.ip} ${attacker.address.port}`;
    for (let i = 0; i < 6; i++) attacker.send(`${me} KNOWNUSERS`, alpha.self);
    await until(
      () => heard.count === 6 && attacker.received.length > 0,
      'alpha to hear all six and ask the claimant',
    );
    expect(asked).toEqual([`SERVER alpha 127.0.0.1 ${alpha.self.port} DISCOVER alpha`]);
    expect(alpha.alias).toBe('alpha');
    // Asked once: a DISCOVER of its alias, which the attacker did not answer.
    expect(attacker.received.map((p) => serialize(p))).toEqual([
      `SERVER alpha 127.0.0.1 ${alpha.self.port} DISCOVER alpha`,
    ]);
  });

  test('-ERRs to a starting server from servers that do not hold the alias do not keep it from claiming it', async () => {
    const channel = uniqueChannel();
    const attacker = await Attacker.open(0, channel);
    const me = `SERVER rogue ${attacker.address.ip} ${attacker.address.port}`;
    // Refuse every probe heard on the channel, in the rogue's own name.
    const timer = setInterval(() => {
      for (const packet of attacker.received.splice(0)) {
        if (packet.kind !== 'ServerCommand' || packet.command.verb !== 'DISCOVER') continue;
        attacker.send(`SERVERREPLY ${me} -ERR ${serialize(packet)} MESSAGE taken\0`, packet.sender);
      }
    }, 2);
    timers.push(timer);
    const newbie = server('newbie', [channel]);
    expect((await newbie.start()).alias).toBe('newbie');
  });

  test('a rogue neighbour placing a user hosted here elsewhere is not believed; after EXIT the user registers again', async () => {
    const alpha = server('alpha', [uniqueChannel()]);
    await alpha.start();
    const bob = await user('bob', alpha);
    const attacker = await Attacker.open();
    const me = `SERVER rogue ${attacker.address.ip} ${attacker.address.port}`;
    attacker.send(`${me} DISCOVER rogue`, alpha.self, 256);
    // A live rogue answers alpha's DISCOVER too, and so becomes a neighbour.
    await until(() => attacker.received.find((p) => p.kind === 'ServerCommand'), 'alpha to greet the rogue');
    const greeting = attacker.received.find((p) => p.kind === 'ServerCommand');
    attacker.send(`SERVERREPLY ${me} +OK ${serialize(greeting as Packet)}`, alpha.self);
    await until(() => alpha.neighbours.size === 1, 'the rogue to become a neighbour');
    const heard = heardFrom(alpha, () => attacker.address);
    attacker.send(
      `${me} KNOWNUSERS USERNODE bob ${attacker.address.ip} ${attacker.address.port}`,
      alpha.self,
    );
    await until(() => heard.count === 1, 'alpha to hear the rogue gossip');
    await bob.exit();
    expect(alpha.directory.lookup('bob', Date.now())).toBeUndefined();
    const again = await user('bob', alpha); // the user starts its client again
    expect(alpha.registry.holding('bob')?.user.port).toBe(again.self.port);
  });
});

describe('neighbours are not cheap', () => {
  test('one padded DISCOVER in a victim’s name makes no neighbour: only an answer to ours does', async () => {
    const alpha = server('alpha', [uniqueChannel()]);
    await alpha.start();
    const victim = await Attacker.open(); // receives, never answers
    const forged = `SERVER victim ${victim.address.ip} ${victim.address.port} DISCOVER victim`;
    // The attacker cannot forge the source here, so it plays the victim's socket sending once.
    victim.send(forged, alpha.self, 256);
    await until(() => victim.received.length >= 2, 'the +OK and the greeting');
    expect(alpha.neighbours.size).toBe(0);
  });

  test('a relayed SEND longer than messageBytes is not delivered', async () => {
    const alpha = server('alpha', [uniqueChannel()], { limits: { messageBytes: 100 } });
    await alpha.start();
    const bob = await user('bob', alpha);
    const heard: string[] = [];
    bob.on('message', (m) => heard.push(m.text));
    const { rogue } = await rogueNeighbour(alpha);
    const from = 'USERNODE ann 127.0.0.1 5999';
    rogue.send(`${from} SEND bob MESSAGE ${'x'.repeat(500)}\0`, alpha.self);
    rogue.send(`${from} SEND bob MESSAGE short\0`, alpha.self);
    // The long one came first from the same source: had it been delivered, it would be here already.
    await until(() => heard.length > 0, 'the short one');
    expect(heard).toEqual(['short']);
  });
});

test('SeenSet: one source holds at most its share, so flooding neighbours leave room for the others', () => {
  const seen = new SeenSet(5000, 800); // a share of 100 per source
  let flooded = 0;
  for (let i = 0; i < 1000; i++) if (seen.mark(`flood ${i}`, 0, 'fake')) flooded++;
  expect(flooded).toBe(100);
  expect(seen.mark('a real FIND', 0, 'real neighbour')).toBe(true);
});

describe('amplification', () => {
  test('every address has a byte budget: 20 LISTs in a registered victim’s name send it at most the budget', async () => {
    const network = new MemoryNetwork();
    const channel = { ip: '239.6.6.8', port: 8450 };
    const sent = { rate: 1000, burst: 4000 };
    const hub = createServer({
      alias: 'hub',
      channels: [channel],
      probeInterval: 10,
      rateLimits: { sent },
      transport: network.transport({ port: 7000 }),
    });
    await hub.start();
    // Users to make LIST long.
    for (let i = 0; i < 30; i++) {
      const u = network.transport({ host: `10.3.0.${i + 1}`, port: 5000 });
      await u.open();
      const sender = {
        kind: 'UserNode' as const,
        alias: `user${i}`.padEnd(32, 'x'),
        ip: `10.3.0.${i + 1}`,
        port: 5000,
      };
      u.send(
        encode(
          { kind: 'UserCommand', sender, command: { verb: 'PREFERRED', server: hub.self } },
          PADDED.preferred,
        ),
        hub.self,
      );
    }
    await until(() => hub.registry.size === 30, '30 users', 5000, network.clock);
    // The forger speaks from the victim's address (the in-memory network lets it): a padded
    // PREFERRED registers the victim, then 20 LISTs.
    const victim = network.transport({ host: '10.4.0.1', port: 6000 });
    await victim.open();
    let toVictim = 0;
    victim.on('datagram', (data) => {
      toVictim += data.length;
    });
    const sender = { kind: 'UserNode' as const, alias: 'victim', ip: '10.4.0.1', port: 6000 };
    const started = network.clock.now();
    let inItsName = 0;
    const say = (command: UserCommand['command'], padTo = 0) => {
      const data = encode({ kind: 'UserCommand', sender, command }, padTo);
      inItsName += data.length;
      victim.send(data, hub.self);
    };
    say({ verb: 'PREFERRED', server: hub.self }, PADDED.preferred);
    await until(() => hub.registry.holding('victim'), 'the victim registered', 5000, network.clock);
    for (let i = 0; i < 20; i++) say({ verb: 'LIST' });
    await network.clock.sleep(100);
    const elapsed = (network.clock.now() - started) / 1000;
    expect(toVictim).toBeLessThanOrEqual(sent.burst + sent.rate * elapsed);
    expect(hub.counters.throttled).toBeGreaterThan(0);
    console.log(
      `amplification: LIST path ${toVictim} B toward the victim for ${inItsName} B in its name (${(toVictim / inItsName).toFixed(1)}x)`,
    );
    await hub.close();
  });
});

describe('room members', () => {
  test('a neighbour cannot make a server believe in members it does not host', async () => {
    const alpha = server('alpha', [uniqueChannel()]);
    await alpha.start();
    const bob = await user('bob', alpha);
    await bob.createRoom('lounge');
    const notices: string[] = [];
    bob.on('roomNotice', (n) => notices.push(`${n.member.alias} ${n.change} ${n.room}`));
    const { rogue, me } = await rogueNeighbour(alpha);
    const heard = heardFrom(alpha, () => rogue.address);
    const dora = `USERNODE dora 127.0.0.1 ${rogue.address.port + 1}`;
    rogue.send(`${me} KNOWNUSERS ${dora}`, alpha.self);
    await until(() => heard.count === 1, 'alpha to learn that the rogue hosts dora');
    const event = (member: string, host: string, n: number) =>
      `SERVERREPLY ${me} +OK ${member} JOINROOM lounge ${host} MESSAGE lounge\0 MESSAGE r.${n}\0`;
    // bob is alpha's own user; dora is the rogue's, not another server's.
    rogue.send(event(`USERNODE bob ${bob.self.ip} ${bob.self.port}`, me, 1), alpha.self);
    rogue.send(event(dora, 'SERVER gamma 127.0.0.1 7777', 1), alpha.self);
    // The one true claim comes last from the same source: the others were judged before it.
    rogue.send(event(dora, me, 2), alpha.self);
    await until(() => notices.length > 0, 'bob to be told dora joined');
    expect(notices).toEqual(['dora joined lounge']);
    expect(alpha.counters.spoofed).toBe(2);
    expect((await bob.who('lounge')).map((u) => `${u.alias} ${u.port}`)).toEqual([
      `bob ${bob.self.port}`,
      `dora ${rogue.address.port + 1}`,
    ]);
  });

  test('remote memberships stay within limits.roomMembers however many a neighbour lists', async () => {
    const alpha = server('alpha', [uniqueChannel()], { limits: { roomMembers: 3 } });
    await alpha.start();
    const { rogue, me } = await rogueNeighbour(alpha);
    const heard = heardFrom(alpha, () => rogue.address);
    const users = Array.from({ length: 10 }, (_, i) => `USERNODE u${i} 127.0.0.1 ${6000 + i}`);
    rogue.send(
      `SERVERREPLY ${me} +OK ${users[0]} JOINROOM flood ${me} ${users.join(' ')} MESSAGE flood\0 MESSAGE members\0 MESSAGE r.1\0`,
      alpha.self,
    );
    await until(() => heard.count === 1, 'alpha to read the listing');
    expect(alpha.rooms.remote('flood').length).toBe(3);
    expect(alpha.counters.overLimit).toBe(7);
  });
});
