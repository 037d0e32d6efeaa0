/** One contract, two transports: real UDP sockets on loopback, and the in-memory network. */
import { createSocket } from 'node:dgram';
import { describe, expect, test } from 'vitest';
import { type Endpoint, MemoryNetwork, type Transport, udpTransport } from '../../src/node/index.ts';
import { uniqueChannel, until } from './helpers.ts';

const encoder = new TextEncoder();
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function inbox(t: Transport): { data: string; from: Endpoint }[] {
  const got: { data: string; from: Endpoint }[] = [];
  t.on('datagram', (data, from) => got.push({ data: text(data), from }));
  return got;
}

const factories: [string, () => () => Transport][] = [
  ['udp', () => () => udpTransport()],
  [
    'memory',
    () => {
      const network = new MemoryNetwork();
      return () => network.transport();
    },
  ],
];

describe.each(factories)('%s transport', (_name, network) => {
  async function pair(): Promise<[Transport, Transport]> {
    const make = network();
    const [a, b] = [make(), make()];
    await Promise.all([a.open(), b.open()]);
    return [a, b];
  }

  test('binds a real port and delivers unicast with the source address', async () => {
    const [a, b] = await pair();
    expect(a.address.port).toBeGreaterThan(0);
    const got = inbox(b);
    a.send(encoder.encode('hello'), b.address);
    await until(() => got.length === 1, 'the datagram');
    expect(got[0]).toEqual({ data: 'hello', from: a.address });
    await Promise.all([a.close(), b.close()]);
  });

  test('multicast reaches every member, the sender included, from its unicast address', async () => {
    const [a, b] = await pair();
    const channel = uniqueChannel();
    await Promise.all([a.join(channel), b.join(channel)]);
    expect(a.channels).toEqual([channel]);
    const [gotA, gotB] = [inbox(a), inbox(b)];
    a.send(encoder.encode('all'), channel);
    await until(() => gotA.length === 1 && gotB.length === 1, 'both copies');
    expect(gotB[0]).toEqual({ data: 'all', from: a.address });
    await b.leave(channel);
    a.send(encoder.encode('again'), channel);
    await until(() => gotA.length === 2, 'the echo');
    expect(gotB).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  test('refuses to join a unicast address', async () => {
    const [a, b] = await pair();
    await expect(a.join({ ip: '127.0.0.1', port: 9999 })).rejects.toThrow(/not a multicast address/);
    await Promise.all([a.close(), b.close()]);
  });

  test('close is idempotent and send after close is a no-op', async () => {
    const [a, b] = await pair();
    await a.close();
    await a.close();
    expect(() => a.send(encoder.encode('late'), b.address)).not.toThrow();
    await b.close();
  });
});

describe('udp transport', () => {
  test('a send failure is reported as an error event, not thrown', async () => {
    const t = udpTransport();
    await t.open();
    const errors: Error[] = [];
    t.on('error', (e) => errors.push(e));
    t.send(encoder.encode('x'), { ip: '127.0.0.1', port: 0 });
    await until(() => errors.length > 0, 'the error');
    expect(errors[0]?.message).toMatch(/sending to 127\.0\.0\.1:0/);
    await t.close();
  });

  test('a port in use is a clear error', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const t = udpTransport({ port: holder.address().port });
    await expect(t.open()).rejects.toThrow(/cannot bind unicast socket 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    holder.close();
  });
});

describe('memory network', () => {
  test('loss 1 drops and counts everything', async () => {
    const network = new MemoryNetwork({ loss: 1 });
    const [a, b] = [network.transport(), network.transport()];
    await Promise.all([a.open(), b.open()]);
    const got = inbox(b);
    for (let i = 0; i < 10; i++) a.send(encoder.encode(String(i)), b.address);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toEqual([]);
    expect(network.stats).toEqual({ sent: 10, delivered: 0, dropped: 10 });
  });

  test('a partition blocks traffic between its sides until healed', async () => {
    const network = new MemoryNetwork();
    const [a, b] = [network.transport(), network.transport()];
    await Promise.all([a.open(), b.open()]);
    const got = inbox(b);
    network.partition([a.address], [b.address]);
    a.send(encoder.encode('blocked'), b.address);
    network.heal();
    a.send(encoder.encode('through'), b.address);
    await until(() => got.length === 1, 'the second datagram');
    expect(got.map((g) => g.data)).toEqual(['through']);
  });

  test('binding a taken address fails like EADDRINUSE', async () => {
    const network = new MemoryNetwork();
    const a = network.transport({ port: 5000 });
    await a.open();
    await expect(network.transport({ port: 5000 }).open()).rejects.toThrow(/EADDRINUSE/);
  });
});
