/** A reference server for the conformance self-tests: its own channel, a short gossip interval. */
import { createServer, type ServerOptions } from '../../src/node/index.ts';
import { uniqueChannel } from '../node/helpers.ts';

/** The gossip interval the self-tests give the server, and tell the kit. */
export const GOSSIP_MS = 1000;

/** Starts a reference server; resolves with its address, its channel, and a way to stop it. */
export async function referenceServer(alias: string, options: Partial<ServerOptions> = {}) {
  const channel = uniqueChannel();
  const server = createServer({ alias, channels: [channel], gossipInterval: GOSSIP_MS, ...options });
  // Warnings are what a server says about the kit's garbage: expected, not a problem.
  server.on('warning', () => {});
  const target = await server.start({ signal: AbortSignal.timeout(10_000) });
  return { server, target, channel, close: () => server.close() };
}
