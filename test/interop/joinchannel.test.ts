/**
 * JOINCHANNEL (Section II.ii) asked of a reference server by a minimal server that is its
 * neighbour, for channels no server should join, and by a source that is no neighbour at all.
 */
import { describe, expect, test } from 'vitest';
import { parse, type ServerReply } from '../../src/index.ts';
import { server, uniqueChannel, until } from '../node/helpers.ts';
import type { Address } from './minimal-server.ts';
import { minimalServer, rawSocket } from './nodes.ts';

async function neighbours() {
  const channel = uniqueChannel();
  const reference = server('ref', [channel], { probeInterval: 100 });
  await reference.start();
  const mini = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 300 });
  await until(() => reference.neighbours.list().some((n) => n.alias === 'mini'), 'ref to neighbour mini');
  return { reference, mini, channel };
}

describe('JOINCHANNEL from a neighbour, refused', () => {
  const corners: [string, Address][] = [
    ['port 0000', { ip: uniqueChannel().ip, port: 0 }],
    ['a unicast address', { ip: '10.0.0.1', port: 20001 }],
    ['the scope-wide broadcast group 239.255.255.255', { ip: '239.255.255.255', port: 20002 }],
    ['the all-hosts group 224.0.0.1', { ip: '224.0.0.1', port: 20003 }],
  ];
  test.each(corners)('%s: -ERR, and the server stays on its channels', async (_, asked) => {
    const { reference, mini, channel } = await neighbours();
    expect(await mini.inviteToChannel(reference.self, asked)).toBe('-ERR');
    expect(reference.channels).toEqual([channel]);
  });
});

test('JOINCHANNEL from a source that never did DISCOVER: -ERR, and the server does not join', async () => {
  const channel = uniqueChannel();
  const reference = server('ref', [channel], { probeInterval: 100 });
  await reference.start();
  const stranger = await rawSocket();
  const asked = uniqueChannel();
  const { port } = stranger.address();
  const request = `SERVER stranger 127.0.0.1 ${port} JOINCHANNEL ${asked.ip} ${asked.port}`;
  const replies: ServerReply[] = [];
  stranger.on('message', (data) => {
    const packet = parse(data);
    if (packet.kind === 'ServerReply') replies.push(packet);
  });
  stranger.send(request, reference.self.port, reference.self.ip);
  await until(() => replies.length > 0, 'an answer to the stranger', 1500).catch(() => undefined);
  expect(replies.map((r) => r.status)).toEqual(['-ERR']);
  expect(reference.channels).toEqual([channel]);
});
