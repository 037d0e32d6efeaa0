/**
 * The reference nodes as Node users expect them: `await using`, AbortSignal on every async
 * method, and chat messages as an async iterator. On the in-memory network, so that a dead server
 * is exactly that.
 */
import { expect, test } from 'vitest';
import { type ChatMessage, createServer, createUserNode, MemoryNetwork } from '../../src/node/index.ts';
import { timeoutSignal, until } from './helpers.ts';

const channel = { ip: '239.3.3.3', port: 8450 };

test('await using closes servers and user nodes at the end of the block', async () => {
  const network = new MemoryNetwork();
  let outside: { closed: Promise<unknown> } | undefined;
  {
    await using server = createServer({
      alias: 'hub',
      channels: [channel],
      probeInterval: 10,
      transport: network.transport(),
    });
    const hub = await server.start();
    await using ann = createUserNode({
      alias: 'ann',
      server: hub,
      transport: network.transport(),
      keepAlive: 0,
    });
    await ann.start();
    const closed = new Promise((resolve) => ann.once('close', () => resolve('closed')));
    outside = { closed };
  }
  expect(await outside?.closed).toBe('closed');
});

test("an aborted request rejects with the signal's reason and stops waiting for the server", async () => {
  const network = new MemoryNetwork();
  const server = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
  });
  const hub = await server.start();
  const ann = createUserNode({
    alias: 'ann',
    server: hub,
    transport: network.transport(),
    keepAlive: 0,
    timeout: 5000,
  });
  await ann.start();
  try {
    // Already aborted: nothing is sent.
    const sent: string[] = [];
    ann.on('packetOut', (p) => sent.push(p.kind));
    await expect(ann.rooms({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toEqual([]);

    // Aborted while waiting: the server is dead, so only the signal can end the wait before T.
    await server.close();
    const controller = new AbortController();
    const pending = ann.find('bob', { signal: controller.signal });
    controller.abort(new Error('the user gave up'));
    await expect(pending).rejects.toThrow('the user gave up');
  } finally {
    await ann.close();
  }
});

test('server.start and inviteToChannel take a signal too', async () => {
  const network = new MemoryNetwork();
  const slow = createServer({
    alias: 'slow',
    channels: [channel],
    probeInterval: 1000,
    transport: network.transport(),
  });
  // Claiming takes three probes a second apart; the signal ends it sooner and closes the server.
  await expect(slow.start({ signal: timeoutSignal(network.clock, 50) })).rejects.toMatchObject({
    name: 'TimeoutError',
  });
  await expect(slow.start()).rejects.toThrow('server already started');

  const hub = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
  });
  await hub.start();
  try {
    const nobody = { ip: '127.0.0.1', port: 9 };
    const invite = hub.inviteToChannel(
      nobody,
      { ip: '239.3.3.4', port: 8450 },
      { signal: timeoutSignal(network.clock, 20) },
    );
    await expect(invite).rejects.toMatchObject({ name: 'TimeoutError' });
  } finally {
    await hub.close();
  }
});

test('messages() yields what the message events carry, and ends when the node closes', async () => {
  const network = new MemoryNetwork();
  const server = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
  });
  const hub = await server.start();
  const ann = createUserNode({ alias: 'ann', server: hub, transport: network.transport(), keepAlive: 0 });
  const bob = createUserNode({ alias: 'bob', server: hub, transport: network.transport(), keepAlive: 0 });
  await Promise.all([ann.start(), bob.start()]);
  const received: ChatMessage[] = [];
  const reading = (async () => {
    for await (const m of bob.messages()) received.push(m);
  })();
  await ann.send('bob', 'one');
  await ann.send('bob', 'two');
  await until(() => received.length === 2, 'both messages read', 5000, network.clock);
  await bob.close(); // ends the iteration
  await reading;
  expect(received.map((m) => [m.kind, m.from.alias, m.text])).toEqual([
    ['direct', 'ann', 'one'],
    ['direct', 'ann', 'two'],
  ]);

  const controller = new AbortController();
  const aborted = (async () => {
    for await (const _ of ann.messages({ signal: controller.signal })) break;
  })();
  controller.abort();
  await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  await Promise.all([ann.close(), server.close()]);
});
