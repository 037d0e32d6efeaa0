/**
 * Amplification: for each command a source the server does not know can send, the bytes the
 * server sends because of it, over the bytes it carried: `npm run bench:amplification`.
 * Each command comes from a fresh address on an in-memory network beside one running server with
 * two neighbours; bytes are counted from the server's own `packetOut` events (UDP payload only).
 * The ratio is exact, not a timing, so one run is enough.
 */
import { type Packet, serialize } from '../src/index.ts';
import { createServer, createUserNode, MemoryNetwork } from '../src/node/index.ts';

const encoder = new TextEncoder();
const network = new MemoryNetwork();
const channel = { ip: '239.6.6.6', port: 8450 };
const servers = ['hub', 'left', 'right'].map((alias) =>
  createServer({
    alias,
    channels: [channel],
    probeInterval: 10,
    gossipInterval: 60_000,
    transport: network.transport(),
  }),
);
await Promise.all(servers.map((s) => s.start()));
const hub = servers[0] as NonNullable<(typeof servers)[0]>;
const member = createUserNode({
  alias: 'member',
  server: hub.self,
  transport: network.transport(),
  keepAlive: 0,
});
await member.start();
await member.createRoom('lobby');
await new Promise((resolve) => setTimeout(resolve, 100));

let port = 30000;
const rows: [string, number, number][] = [];

async function measure(name: string, make: (source: { ip: string; port: number }) => Packet): Promise<void> {
  const source = network.transport({ host: '127.0.0.9', port: port++ });
  await source.open();
  let out = 0;
  const count = (packet: Packet) => {
    out += encoder.encode(serialize(packet)).length;
  };
  hub.on('packetOut', count);
  const data = encoder.encode(serialize(make(source.address)));
  source.send(data, hub.self);
  await new Promise((resolve) => setTimeout(resolve, 50));
  hub.off('packetOut', count);
  await source.close();
  rows.push([name, data.length, out]);
}

const user = (a: { ip: string; port: number }, alias = 'stranger') => ({
  kind: 'UserNode' as const,
  alias,
  ip: a.ip,
  port: a.port,
});
const server = (a: { ip: string; port: number }, alias = 'rogue') => ({
  kind: 'Server' as const,
  alias,
  ip: a.ip,
  port: a.port,
});

for (const command of [
  { verb: 'FIND', alias: 'member' },
  { verb: 'LIST' },
  { verb: 'LISTROOMS' },
  { verb: 'ULIST', room: 'lobby' },
  { verb: 'CSEND', message: 'hi' },
  { verb: 'EXIT' },
] as const) {
  await measure(`unregistered ${command.verb}`, (a) => ({ kind: 'UserCommand', sender: user(a), command }));
}
await measure('PREFERRED (registers)', (a) => ({
  kind: 'UserCommand',
  sender: user(a, `p${port}`),
  command: { verb: 'PREFERRED', server: hub.self },
}));
await measure('DISCOVER of a free alias', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, `free${port}`),
  command: { verb: 'DISCOVER', alias: `free${port}` },
}));
await measure('DISCOVER of a taken alias', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, 'hub'),
  command: { verb: 'DISCOVER', alias: 'hub' },
}));
await measure('KNOWNUSERS from a stranger', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, `g${port}`),
  command: { verb: 'KNOWNUSERS', users: [] },
}));
await measure('KNOWNSERVERS from a stranger', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, `g${port}`),
  command: { verb: 'KNOWNSERVERS', servers: [] },
}));
await measure('server PREFERRED', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, `r${port}`),
  command: { verb: 'PREFERRED', server: server(a, `r${port}`) },
}));
await measure('JOINCHANNEL', (a) => ({
  kind: 'ServerCommand',
  sender: server(a, `j${port}`),
  command: { verb: 'JOINCHANNEL', ip: '239.6.6.7', port: 8451 },
}));

console.log(
  `amplification: bytes the server sent because of one datagram from an unknown source (Node ${process.version})`,
);
console.log(`${'command'.padEnd(30)} ${'in'.padStart(5)} ${'out'.padStart(5)}  out/in`);
for (const [name, bytesIn, bytesOut] of rows) {
  console.log(
    `${name.padEnd(30)} ${String(bytesIn).padStart(5)} ${String(bytesOut).padStart(5)}  ${(bytesOut / bytesIn).toFixed(2)}`,
  );
}
await member.close();
await Promise.all(servers.map((s) => s.close()));
