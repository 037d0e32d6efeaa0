/** One contract, two transports: real UDP sockets on loopback, and the in-memory network. */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { VirtualClock } from '../../src/node/clock.ts';
import { MemoryNetwork } from '../../src/node/memory.ts';
import type { Endpoint, Transport } from '../../src/node/transport.ts';
import { udpTransport } from '../../src/node/udp.ts';
import { uniqueChannel } from './helpers.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bounded waits: a datagram that never comes fails the test, it does not hang it. */
const WAIT_MS = 2000;

interface Received {
  data: string;
  from: Endpoint;
}

/** Everything a transport receives from now on, and a bounded wait for the count to reach n. */
function inbox(t: Transport): { got: Received[]; next(n: number): Promise<Received[]> } {
  const got: Received[] = [];
  const waiters = new Set<() => void>();
  t.on('datagram', (data, from) => {
    got.push({ data: decoder.decode(data), from });
    for (const wake of waiters) wake();
  });
  function next(n: number): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (got.length < n) return;
        done();
        resolve(got.slice());
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`expected ${n} datagrams within ${WAIT_MS} ms, got ${JSON.stringify(got)}`));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }
  return { got, next };
}

/** A bounded wait for the first `error` event. */
function nextError(t: Transport): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error event within ${WAIT_MS} ms`)), WAIT_MS);
    t.on('error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}

/** Transports a test made; closed after it whatever its outcome, so no socket outlives it. */
const made: Transport[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((t) => t.close()));
});

function track(t: Transport): Transport {
  made.push(t);
  return t;
}

/** Each factory returns a maker of transports that share one network (UDP: the loopback). */
const factories: [string, () => () => Transport][] = [
  ['udp', () => () => track(udpTransport())],
  [
    'memory',
    () => {
      const network = new MemoryNetwork();
      return () => track(network.transport());
    },
  ],
];

describe.each(factories)('%s transport', (_name, network) => {
  async function opened(count: number): Promise<Transport[]> {
    const make = network();
    const transports = Array.from({ length: count }, make);
    await Promise.all(transports.map((t) => t.open()));
    return transports;
  }

  test('open binds a free port and reports it; opening again keeps it', async () => {
    const t = network()();
    expect(() => t.address).toThrow(/not open/);
    const address = await t.open();
    expect(address.ip).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    expect(t.address).toEqual(address);
    expect(await t.open()).toEqual(address);
  });

  test('unicast arrives with the sender as source', async () => {
    const [a, b] = (await opened(2)) as [Transport, Transport];
    const box = inbox(b);
    a.send(encoder.encode('hello'), b.address);
    expect(await box.next(1)).toEqual([{ data: 'hello', from: a.address }]);
  });

  test('multicast reaches every member, the sender included, from its unicast address', async () => {
    const [a, b, c] = (await opened(3)) as [Transport, Transport, Transport];
    const channel = uniqueChannel();
    await Promise.all([a.join(channel), b.join(channel), c.join(channel)]);
    expect(a.channels).toEqual([channel]);
    const boxes = [inbox(a), inbox(b), inbox(c)];
    a.send(encoder.encode('all'), channel);
    for (const box of boxes) expect(await box.next(1)).toEqual([{ data: 'all', from: a.address }]);
  });

  test('leave stops delivery', async () => {
    const [a, b] = (await opened(2)) as [Transport, Transport];
    const channel = uniqueChannel();
    await Promise.all([a.join(channel), b.join(channel)]);
    const [boxA, boxB] = [inbox(a), inbox(b)];
    await b.leave(channel);
    expect(b.channels).toEqual([]);
    a.send(encoder.encode('after'), channel);
    await boxA.next(1); // the sender's own echo: the datagram has been delivered by now
    expect(boxB.got).toEqual([]);
    await b.leave(channel); // leaving a channel not joined is a no-op
  });

  test('joining twice, even concurrently, is one membership that one leave ends', async () => {
    const [a, b] = (await opened(2)) as [Transport, Transport];
    const channel = uniqueChannel();
    await Promise.all([a.join(channel), a.join(channel), b.join(channel)]);
    expect(a.channels).toEqual([channel]);
    const [boxA, boxB] = [inbox(a), inbox(b)];
    await a.leave(channel);
    b.send(encoder.encode('after'), channel);
    await boxB.next(1);
    expect(boxA.got).toEqual([]);
  });

  test('refuses to join a unicast address', async () => {
    const [a] = (await opened(1)) as [Transport];
    await expect(a.join({ ip: '127.0.0.1', port: 9999 })).rejects.toThrow(/not a multicast address/);
    expect(a.channels).toEqual([]);
  });

  test('close is idempotent, sends after it are dropped, and it cannot reopen', async () => {
    const [a, b] = (await opened(2)) as [Transport, Transport];
    const channel = uniqueChannel();
    await a.join(channel);
    await a.close();
    await a.close();
    expect(a.channels).toEqual([]);
    expect(() => a.send(encoder.encode('late'), b.address)).not.toThrow();
    await expect(a.open()).rejects.toThrow(/closed/);
  });
});

describe('udp transport', () => {
  test('a send failure is an error event, not a throw', async () => {
    const t = track(udpTransport());
    await t.open();
    const error = nextError(t);
    expect(() => t.send(encoder.encode('x'), { ip: '127.0.0.1', port: 0 })).not.toThrow();
    expect((await error).message).toMatch(/sending to 127\.0\.0\.1:0/);
  });

  test('a host name is refused rather than looked up', async () => {
    const t = track(udpTransport());
    await t.open();
    const error = nextError(t);
    t.send(encoder.encode('x'), { ip: 'localhost', port: 9 });
    expect((await error).message).toMatch(/localhost is not an IPv4 address/);
  });

  test('an unheard socket error becomes a process warning, not a crash', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const t = track(udpTransport());
      await t.open();
      t.send(encoder.encode('x'), { ip: '127.0.0.1', port: 0 });
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ message: expect.stringMatching(/sending to/) }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  test('a port in use is a clear error', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    try {
      const t = track(udpTransport({ port: holder.address().port }));
      await expect(t.open()).rejects.toThrow(/cannot bind unicast socket 127\.0\.0\.1:\d+: .*EADDRINUSE/);
      await expect(t.open()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      holder.close();
    }
  });

  test('an interface that is not ours fails open instead of falling back to the default route', async () => {
    // TEST-NET-3: no host has it; nothing is sent, open must refuse before any datagram could be.
    const t = track(udpTransport({ interface: '203.0.113.254' }));
    await expect(t.open()).rejects.toThrow(
      /configuring multicast .*interface 203\.0\.113\.254.*EADDRNOTAVAIL/,
    );
  });
});

describe('memory network', () => {
  async function pair(network: MemoryNetwork): Promise<[Transport, Transport]> {
    const [a, b] = [track(network.transport()), track(network.transport())];
    await Promise.all([a.open(), b.open()]);
    return [a, b];
  }

  test('port 0 picks free ports from 40000, a taken port fails like EADDRINUSE', async () => {
    const network = new MemoryNetwork();
    const [a, b] = await pair(network);
    expect([a.address.port, b.address.port]).toEqual([40000, 40001]);
    await expect(track(network.transport({ port: 40000 })).open()).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: expect.stringMatching(/EADDRINUSE 127\.0\.0\.1:40000/),
    });
  });

  test('delivery is never synchronous inside send', async () => {
    const network = new MemoryNetwork();
    const [a, b] = await pair(network);
    const box = inbox(b);
    a.send(encoder.encode('later'), b.address);
    expect(box.got).toEqual([]);
    await box.next(1);
  });

  test('deliveries run on the virtual clock: a 50 ms delay is 50 ms of its time, to the millisecond', async () => {
    const clock = new VirtualClock();
    const network = new MemoryNetwork({ delayMs: 50, clock });
    const [a, b] = await pair(network);
    const box = inbox(b);
    const sent = clock.now();
    a.send(encoder.encode('queued'), b.address);
    await clock.sleep(49);
    expect(box.got).toEqual([]);
    expect(network.stats).toEqual({ sent: 1, delivered: 0, dropped: 0 });
    await clock.sleep(1);
    expect(box.got.map((r) => r.data)).toEqual(['queued']);
    expect(clock.now() - sent).toBe(50);
    expect(network.stats).toEqual({ sent: 1, delivered: 1, dropped: 0 });
  });

  test('data is copied on send', async () => {
    const network = new MemoryNetwork();
    const [a, b] = await pair(network);
    const box = inbox(b);
    const buffer = encoder.encode('original');
    a.send(buffer, b.address);
    buffer.fill(0);
    expect((await box.next(1))[0]?.data).toBe('original');
  });

  test('loss 1 drops and counts everything', async () => {
    const network = new MemoryNetwork({ loss: 1 });
    const [a, b] = await pair(network);
    const box = inbox(b);
    for (let i = 0; i < 10; i++) a.send(encoder.encode(String(i)), b.address);
    expect(network.stats).toEqual({ sent: 10, delivered: 0, dropped: 10 });
    // A sentinel sent after them arrives: the dropped ones would have by then.
    network.loss = 0;
    a.send(encoder.encode('sentinel'), b.address);
    expect((await box.next(1)).map((r) => r.data)).toEqual(['sentinel']);
    expect(network.stats).toEqual({ sent: 11, delivered: 1, dropped: 10 });
  });

  test('duplicate 1 delivers every datagram twice, and counts both', async () => {
    const clock = new VirtualClock();
    const network = new MemoryNetwork({ duplicate: 1, clock });
    const [a, b] = await pair(network);
    const box = inbox(b);
    a.send(encoder.encode('twice'), b.address);
    await clock.sleep(1);
    expect(box.got.map((r) => r.data)).toEqual(['twice', 'twice']);
    expect(network.stats).toEqual({ sent: 2, delivered: 2, dropped: 0 });
  });

  test('jitter lets later datagrams overtake earlier ones, each within delay + jitterMs', async () => {
    const clock = new VirtualClock();
    // Per delivery one draw for loss, then one for jitter: the first datagram gets the most
    // jitter, the second none.
    const draws = [0.5, 1 - 1e-9, 0.5, 0];
    const network = new MemoryNetwork({
      delayMs: 10,
      jitterMs: 100,
      clock,
      random: () => draws.shift() ?? 0,
    });
    const [a, b] = await pair(network);
    const box = inbox(b);
    const sent = clock.now();
    a.send(encoder.encode('first'), b.address);
    a.send(encoder.encode('second'), b.address);
    await clock.sleep(10);
    expect(box.got.map((r) => r.data)).toEqual(['second']);
    await clock.sleep(100);
    expect(box.got.map((r) => r.data)).toEqual(['second', 'first']);
    expect(clock.now() - sent).toBe(110);
  });

  test('a seeded random source decides which deliveries are lost', async () => {
    const draws = [0.9, 0.1, 0.9, 0.1];
    const network = new MemoryNetwork({ loss: 0.5, random: () => draws.shift() ?? 0 });
    const [a, b] = await pair(network);
    const box = inbox(b);
    for (const word of ['kept', 'lost', 'kept too', 'lost too']) a.send(encoder.encode(word), b.address);
    expect((await box.next(2)).map((r) => r.data)).toEqual(['kept', 'kept too']);
    expect(network.stats).toEqual({ sent: 4, delivered: 2, dropped: 2 });
  });

  test('a partition blocks unicast and multicast between its sides until healed', async () => {
    const network = new MemoryNetwork();
    const [a, b] = await pair(network);
    const channel = uniqueChannel();
    await Promise.all([a.join(channel), b.join(channel)]);
    const [boxA, boxB] = [inbox(a), inbox(b)];
    network.partition([a.address], [b.address]);
    a.send(encoder.encode('blocked'), b.address);
    a.send(encoder.encode('blocked multicast'), channel);
    await boxA.next(1); // the echo inside a's own side still arrives
    expect(boxB.got).toEqual([]);
    network.heal();
    a.send(encoder.encode('through'), b.address);
    expect((await boxB.next(1)).map((r) => r.data)).toEqual(['through']);
  });

  test('a datagram to nobody, or to a receiver that closed before delivery, counts as dropped', async () => {
    const network = new MemoryNetwork();
    const [a, b] = await pair(network);
    a.send(encoder.encode('nobody'), { ip: '127.0.0.1', port: 1 });
    a.send(encoder.encode('closing'), b.address);
    await b.close();
    const box = inbox(a);
    a.send(encoder.encode('sentinel'), a.address);
    await box.next(1);
    expect(network.stats).toEqual({ sent: 3, delivered: 1, dropped: 2 });
  });
});
