/** Shared pieces of the network tests: unique channels, bounded waits, nodes that clean up. */
import { afterEach } from 'vitest';
import { parse, serialize } from '../../src/index.ts';
import {
  type ChatServer,
  type ChatUser,
  type Clock,
  createServer,
  createUserNode,
  type Endpoint,
  type ServerOptions,
  type UserNodeOptions,
} from '../../src/node/index.ts';
import { randomChannel } from '../../src/values.ts';

/**
 * A multicast channel of its own for each test (src/values.ts's random one in 239.255.0.0/16, on
 * the loopback interface), so test files running in parallel never hear each other.
 */
export function uniqueChannel(): Endpoint {
  return randomChannel();
}

export { until } from './wait.ts';

/**
 * Counts what `node` takes in from `from` (its packetIn events). A node handles the datagrams of
 * one source in order, so once a later one is counted an earlier one has been acted on: the wait
 * over real sockets for "it was heard, and changed nothing".
 */
export function heardFrom(node: ChatServer | ChatUser, from: () => Endpoint): { count: number } {
  const heard = { count: 0 };
  node.on('packetIn', (_packet, source) => {
    const want = from();
    if (source.ip === want.ip && source.port === want.port) heard.count++;
  });
  return heard;
}

/** `AbortSignal.timeout(ms)` on `clock`'s time: aborts with a TimeoutError once `ms` of it have passed. */
export function timeoutSignal(clock: Clock, ms: number): AbortSignal {
  const controller = new AbortController();
  clock.setTimeout(() => controller.abort(new DOMException('signal timed out', 'TimeoutError')), ms);
  return controller.signal;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

/** Problems any node reported; every test ends by checking there were none. */
export const problems: Error[] = [];
afterEach(() => {
  problems.splice(0);
});

/** Every packet a server or user sends must read back as itself. */
function checkWire(node: ChatServer | ChatUser): void {
  node.on('packetOut', (packet) => {
    const back = parse(serialize(packet));
    if (JSON.stringify(back) !== JSON.stringify(packet))
      problems.push(new Error(`packet does not round-trip: ${serialize(packet)}`));
  });
  node.on('warning', (warning) => problems.push(warning));
  node.on('error', (error) => problems.push(error));
}

/** Fast timings for tests: probing stays at its defaults unless a test says otherwise. */
export function server(
  alias: string,
  channels: Endpoint[],
  options: Partial<ServerOptions> = {},
): ChatServer {
  const s = createServer({ alias, channels, gossipInterval: 200, ...options });
  checkWire(s);
  open.push(s);
  return s;
}

export async function user(
  alias: string,
  home: ChatServer,
  options: Partial<UserNodeOptions> = {},
): Promise<ChatUser> {
  const u = createUserNode({
    alias,
    server: home.self,
    timeout: 300,
    retries: 3,
    findWait: 1000,
    ...options,
  });
  checkWire(u);
  open.push(u);
  await u.start();
  return u;
}

export function aliases(servers: readonly { alias: string }[]): string[] {
  return servers.map((s) => s.alias).sort();
}
