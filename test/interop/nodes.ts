/**
 * Nodes for the interoperability tests, each closed after its test: minimal servers and users
 * (test/interop/minimal-*.ts) and reference user nodes pointed at any address.
 */
import dgram from 'node:dgram';
import { afterEach } from 'vitest';
import { serialize } from '../../src/index.ts';
import { type ChatUser, createUserNode, type UserNodeOptions } from '../../src/node/index.ts';
import { server, uniqueChannel } from '../node/helpers.ts';
import { createMinimalServer, type MinimalServer, type MinimalServerOptions } from './minimal-server.ts';
import { createMinimalUser, type MinimalUser, type MinimalUserOptions } from './minimal-user.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

export async function minimalServer(options: MinimalServerOptions): Promise<MinimalServer> {
  const s = createMinimalServer(options);
  open.push(s);
  await s.start();
  return s;
}

export async function minimalUser(options: MinimalUserOptions): Promise<MinimalUser> {
  const u = createMinimalUser(options);
  open.push(u);
  await u.start();
  return u;
}

/** A reference user node with fast timings, started (registered) unless `start` is false. */
export async function referenceUser(
  alias: string,
  server: { ip: string; port: number; alias?: string },
  options: Partial<UserNodeOptions> = {},
): Promise<ChatUser> {
  const u = createUserNode({ alias, server, timeout: 150, retries: 3, findWait: 800, ...options });
  open.push(u);
  await u.start();
  return u;
}

/** Every datagram a node recorded, as wire text, for failure messages. */
export function wire(node: { received: { packet: Parameters<typeof serialize>[0] }[] }): string[] {
  return node.received.map((r) => serialize(r.packet).replaceAll('\0', '\\0'));
}

/** A bare UDP socket on 127.0.0.1, for datagrams from a source that never did DISCOVER. */
export async function rawSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/**
 * Two reference servers, alpha and gamma, on channels of their own, bridged only by a minimal
 * server on both; ann on alpha and cid on gamma.
 */
export async function bridgedByMinimal() {
  const [left, right] = [uniqueChannel(), uniqueChannel()];
  const a = server('alpha', [left]);
  const c = server('gamma', [right]);
  await Promise.all([a.start(), c.start()]);
  const bridge = await minimalServer({ alias: 'bridge', channels: [left, right], gossipInterval: 300 });
  const [ann, cid] = await Promise.all([referenceUser('ann', a.self), referenceUser('cid', c.self)]);
  return { a, c, bridge, ann, cid };
}
