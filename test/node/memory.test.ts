/**
 * A flood from 100,000 distinct (spoofed) source addresses leaves the server's memory within a
 * stated bound: every table a datagram can grow is bounded (docs/protocol.md, Timers and limits).
 * The in-memory network lets one test speak from any address.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import type { Packet } from '../../src/index.ts';
import { createServer, MemoryNetwork } from '../../src/node/index.ts';
import { encode, PADDED } from '../../src/node/wire.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The bound this test holds: heap growth after GC, in MiB. */
const BOUND_MIB = 64;

test(`100,000 datagrams from distinct sources grow the heap by less than ${BOUND_MIB} MiB`, async () => {
  const network = new MemoryNetwork();
  const channel = { ip: '239.8.8.8', port: 8450 };
  const hub = createServer({
    alias: 'hub',
    channels: [channel],
    probeInterval: 10,
    transport: network.transport(),
  });
  await hub.start();
  const before = heapAfterGc();

  const total = 100_000;
  for (let i = 0; i < total; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 1000 + (i % 50_000);
    const user = { kind: 'UserNode' as const, alias: `u${i}`, ip, port };
    const kinds: Packet[] = [
      { kind: 'UserCommand', sender: user, command: { verb: 'PREFERRED', server: hub.self } },
      { kind: 'UserCommand', sender: user, command: { verb: 'EXIT' } },
      { kind: 'UserCommand', sender: user, command: { verb: 'FIND', alias: `x${i}` } },
      {
        kind: 'ServerCommand',
        sender: { kind: 'Server', alias: `s${i}`, ip, port },
        command: { verb: 'KNOWNUSERS', users: [user, { ...user, alias: `v${i}` }] },
      },
    ];
    const source = network.transport({ host: ip, port });
    await source.open();
    const packet = kinds[i % kinds.length] as Packet;
    // PREFERREDs padded, as a forger must pay for registering its victims (credit.ts).
    source.send(encode(packet, i % kinds.length === 0 ? PADDED.preferred : 0), hub.self);
    await source.close();
    if (i % 5000 === 4999) await new Promise((resolve) => setTimeout(resolve, 0)); // let deliveries run
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(hub.counters.received).toBeGreaterThanOrEqual(total);

  const grown = (heapAfterGc() - before) / 2 ** 20;
  console.log(
    `memory: ${total} datagrams from distinct sources grew the heap by ${grown.toFixed(1)} MiB ` +
      `(users ${hub.registry.size}, directory ${hub.directory.size}, bound ${BOUND_MIB} MiB)`,
  );
  expect(hub.registry.size).toBe(hub.limits.users); // the flood filled the user table to its bound
  expect(hub.directory.size).toBeLessThanOrEqual(hub.limits.directory);
  expect(grown).toBeLessThan(BOUND_MIB);
  await hub.close();
}, 60_000);
