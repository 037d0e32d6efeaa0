/**
 * Servers and user nodes on an in-memory network, with the fast timings the failover tests use,
 * closed after each test. `defaults` sets what a test file wants of every node it makes.
 */
import { afterEach } from 'vitest';
import type { Server } from '../../src/index.ts';
import {
  type ChatServer,
  type ChatUser,
  createServer,
  createUserNode,
  type Endpoint,
  type MemoryNetwork,
  type ServerOptions,
  type UserNodeOptions,
} from '../../src/node/index.ts';

export function memoryNodes(
  channel: Endpoint,
  defaults: { server?: Partial<ServerOptions>; user?: Partial<UserNodeOptions> } = {},
) {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });

  function server(network: MemoryNetwork, alias: string, options: Partial<ServerOptions> = {}): ChatServer {
    const s = createServer({
      alias,
      channels: [channel],
      gossipInterval: 200,
      probeInterval: 30,
      transport: network.transport(),
      ...defaults.server,
      ...options,
    });
    open.push(s);
    return s;
  }

  async function user(
    network: MemoryNetwork,
    alias: string,
    home: Server,
    options: Partial<UserNodeOptions> = {},
  ): Promise<ChatUser> {
    const u = createUserNode({
      alias,
      server: home,
      timeout: 100,
      retries: 3,
      keepAlive: 0,
      transport: network.transport(),
      ...defaults.user,
      ...options,
    });
    open.push(u);
    await u.start();
    return u;
  }

  return { server, user };
}
