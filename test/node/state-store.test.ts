/**
 * The `state` option given a store instead of a path: the server saves to it and a restart loads
 * from it, with no file (the simulator's in-memory store, sim/memory-state.ts).
 */
import { expect, test } from 'vitest';
import { createServer, MemoryNetwork, type ServerState, type StateStore } from '../../src/node/index.ts';

class ArrayStore implements StateStore {
  readonly saved: ServerState[] = [];
  async load() {
    return this.saved.at(-1);
  }
  save(state: ServerState) {
    this.saved.push(state);
  }
  async flushed() {}
}

test('a server saves to a state store and a restart takes its alias and channels from it', async () => {
  const network = new MemoryNetwork();
  const channel = { ip: '239.5.5.5', port: 8450 };
  const extra = { ip: '239.5.5.6', port: 8450 };
  const store = new ArrayStore();
  const first = createServer({
    alias: 'alpha',
    channels: [channel, extra],
    probeInterval: 10,
    transport: network.transport(),
    state: store,
  });
  await first.start();
  await first.close();
  expect(store.saved.at(-1)).toMatchObject({ format: 1, alias: 'alpha', channels: [channel, extra] });
  expect(await first.stateWritten()).toBeUndefined(); // no file

  const again = createServer({
    alias: 'ignored',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
    state: store,
  });
  await again.start();
  expect(again.alias).toBe('alpha');
  expect(again.channels).toEqual([channel, extra]);
  await again.close();
});

test('a seeded random source sets the delay of the first probe, so a run repeats', async () => {
  const claimedAt = async (random: () => number) => {
    const network = new MemoryNetwork();
    const server = createServer({
      alias: 'alpha',
      probeInterval: 100,
      transport: network.transport(),
      random,
    });
    const start = network.clock.now();
    await server.start();
    await server.close();
    return network.clock.now() - start;
  };
  expect(await claimedAt(() => 0.5)).toBe(await claimedAt(() => 0.5));
  expect(await claimedAt(() => 0.9)).toBeGreaterThan(await claimedAt(() => 0.1));
});
