/**
 * Measures amplification: for each command a source the server does not know can send, the bytes
 * the server sends because of it, to that source and in all, against the bytes it carried. Each
 * command comes from a fresh address on an in-memory network beside one server with two
 * neighbours and a registered user in a room; bytes are counted from the server's `packetOut`
 * events, as datagrams (padding included). Used by amplification.test.ts and
 * `npm run bench:amplification`.
 */
import { type Packet, serialize } from '../../src/index.ts';
import { createServer, createUserNode, type Endpoint, MemoryNetwork } from '../../src/node/index.ts';
import { encode, PADDED } from '../../src/node/wire.ts';
import { isMulticast } from '../../src/values.ts';

export interface AmplificationRow {
  command: string;
  bytesIn: number;
  /** Sent to the address the datagram came from: what a forged source turns on its victim. */
  toSource: number;
  /** Sent anywhere because of it (answers, gossip it set off, ...). */
  total: number;
  /** Of that, sent to unicast addresses: what could land on a victim (multicast goes to the server's own channels). */
  unicast: number;
}

const encoder = new TextEncoder();

export async function measureAmplification(): Promise<AmplificationRow[]> {
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
  await network.clock.sleep(50);

  let port = 30000;
  const rows: AmplificationRow[] = [];
  const measure = async (command: string, make: (source: Endpoint) => Packet, padTo = 0) => {
    const source = network.transport({ host: '127.0.0.9', port: port++ });
    await source.open();
    const row: AmplificationRow = { command, bytesIn: 0, toSource: 0, total: 0, unicast: 0 };
    const count = (packet: Packet, to: Endpoint) => {
      const bytes = encoder.encode(serialize(packet)).length;
      row.total += bytes;
      if (!isMulticast(to.ip)) row.unicast += bytes;
      if (to.ip === source.address.ip && to.port === source.address.port) row.toSource += bytes;
    };
    hub.on('packetOut', count);
    const data = encode(make(source.address), padTo);
    row.bytesIn = data.length;
    source.send(data, hub.self);
    await network.clock.sleep(30); // everything it sets off, in the network's time
    hub.off('packetOut', count);
    await source.close();
    rows.push(row);
  };

  const user = (a: Endpoint, alias = 'stranger') => ({
    kind: 'UserNode' as const,
    alias,
    ip: a.ip,
    port: a.port,
  });
  const server = (a: Endpoint, alias: string) => ({ kind: 'Server' as const, alias, ip: a.ip, port: a.port });
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
  await measure('PREFERRED, unpadded', (a) => ({
    kind: 'UserCommand',
    sender: user(a, `p${port}`),
    command: { verb: 'PREFERRED', server: hub.self },
  }));
  await measure(
    'PREFERRED, padded',
    (a) => ({
      kind: 'UserCommand',
      sender: user(a, `p${port}`),
      command: { verb: 'PREFERRED', server: hub.self },
    }),
    PADDED.preferred,
  );
  await measure('DISCOVER of a free alias', (a) => ({
    kind: 'ServerCommand',
    sender: server(a, `free${port}`),
    command: { verb: 'DISCOVER', alias: `free${port}` },
  }));
  await measure(
    'DISCOVER of a free alias, padded',
    (a) => ({
      kind: 'ServerCommand',
      sender: server(a, `free${port}`),
      command: { verb: 'DISCOVER', alias: `free${port}` },
    }),
    PADDED.discover,
  );
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
  await member.close();
  await Promise.all(servers.map((s) => s.close()));
  return rows;
}
