/**
 * Attacks from a host on the same LAN with its own address (docs/security.md), over real UDP on
 * loopback: each test sends what the attack sends and checks that it no longer works.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import type { Packet } from '../../src/index.ts';
import { parse, serialize } from '../../src/index.ts';
import type { Endpoint } from '../../src/node/index.ts';
import { problems, server, sleep, uniqueChannel, until, user } from './helpers.ts';

/** An attacker's socket on 127.0.0.1: sends raw text, records what comes back. */
class Attacker {
  readonly received: Packet[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (data) => this.received.push(parse(data)));
  }

  static async open(): Promise<Attacker> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const attacker = new Attacker(socket);
    attackers.push(attacker);
    return attacker;
  }

  get address(): Endpoint {
    const { address, port } = this.#socket.address();
    return { ip: address, port };
  }

  send(text: string, to: Endpoint, padTo = 0): void {
    this.#socket.send(Buffer.from(text.padEnd(padTo, ' ')), to.port, to.ip);
  }

  close(): void {
    this.#socket.close();
  }
}

const attackers: Attacker[] = [];
afterEach(() => {
  for (const a of attackers.splice(0)) a.close();
});

const replies = (a: Attacker) => a.received.filter((p) => p.kind === 'ServerReply').map((p) => serialize(p));

describe('JOINCHANNEL (finding 7)', () => {
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
    await sleep(50);
    expect(problems).toEqual([]);
  });
});
