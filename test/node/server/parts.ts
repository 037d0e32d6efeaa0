/**
 * One server's parts without a whole server: its context (state owners and outbox) on an
 * in-memory network, and peers that speak to it and record what it sends. Mechanisms and
 * handlers are built from these alone, as the server builds them.
 */
import type { Packet } from '../../../src/ast.ts';
import { parse, serialize } from '../../../src/index.ts';
import type { MemoryNetwork } from '../../../src/node/memory.ts';
import type { ServerContext } from '../../../src/node/server/context.ts';
import { zeroCounters } from '../../../src/node/server/counters.ts';
import { Directory } from '../../../src/node/server/directory.ts';
import type { ServerEvents } from '../../../src/node/server/events.ts';
import { KnownServers } from '../../../src/node/server/known-servers.ts';
import { Neighbours } from '../../../src/node/server/neighbours.ts';
import { resolveServerOptions, type ServerOptions } from '../../../src/node/server/options.ts';
import { Outbox } from '../../../src/node/server/outbox.ts';
import { Registry } from '../../../src/node/server/registry.ts';
import { Rooms } from '../../../src/node/server/rooms.ts';
import { SeenSet } from '../../../src/node/server/seen-set.ts';
import type { Endpoint, Transport } from '../../../src/node/transport.ts';
import { serverAt } from '../../../src/node/wire.ts';

export interface Parts {
  ctx: ServerContext;
  transport: Transport;
  /** Events the context emitted, in order. */
  events: { event: keyof ServerEvents; args: unknown[] }[];
}

export const CHANNEL: Endpoint = { ip: '239.1.2.3', port: 8450 };

export async function serverParts(
  network: MemoryNetwork,
  options: Partial<ServerOptions> = {},
  port = 7000,
): Promise<Parts> {
  const resolved = resolveServerOptions({
    alias: 'alpha',
    channels: [CHANNEL],
    probeInterval: 20,
    ...options,
  });
  const transport = network.transport({ port });
  await transport.open();
  await transport.join(CHANNEL);
  const counters = zeroCounters();
  const registry = new Registry();
  const neighbours = new Neighbours(3 * resolved.gossipInterval);
  const events: Parts['events'] = [];
  const self = () => serverAt(resolved.alias, transport.address);
  const outbox = new Outbox({
    transport,
    counters,
    sent: resolved.rateLimits?.sent,
    addresses: 10_000,
    now: () => network.clock.now(),
    self,
    isKnown: (a) => registry.at(a) !== undefined || neighbours.isNeighbour(a),
    isNeighbour: (a) => neighbours.isNeighbour(a),
    packetOut: () => {},
  });
  const ctx: ServerContext = {
    options: resolved,
    limits: resolved.limits,
    counters,
    get self() {
      return self();
    },
    registry,
    directory: new Directory(3 * resolved.gossipInterval, resolved.limits.directory),
    rooms: new Rooms(),
    neighbours,
    knownServers: new KnownServers(3 * resolved.gossipInterval, resolved.limits.knownServers),
    relayed: new SeenSet(resolved.relayWindow, resolved.limits.relays),
    outbox,
    clock: network.clock,
    emit: (event, ...args) => {
      events.push({ event, args });
    },
  };
  return { ctx, transport, events };
}

/** A node on the network that records what reaches it and can send raw text. */
export class Peer {
  readonly received: { packet: Packet; from: Endpoint }[] = [];
  readonly transport: Transport;

  private constructor(transport: Transport) {
    this.transport = transport;
    transport.on('datagram', (data, from) => {
      this.received.push({ packet: parse(data), from });
    });
  }

  static async at(network: MemoryNetwork, port: number, channel?: Endpoint): Promise<Peer> {
    const transport = network.transport({ port });
    await transport.open();
    if (channel) await transport.join(channel);
    return new Peer(transport);
  }

  get address(): Endpoint {
    return this.transport.address;
  }

  /**
   * Sends raw text (or a packet's canonical text); `padTo` pads it with trailing spaces, as the
   * reference nodes pad what they send to a server that does not know them yet (credit.ts).
   */
  send(packet: Packet | string, to: Endpoint, padTo = 0): void {
    const text = typeof packet === 'string' ? packet : serialize(packet);
    this.transport.send(new TextEncoder().encode(text.padEnd(padTo, ' ')), to);
  }

  /** The canonical text of everything received, for readable assertions. */
  texts(): string[] {
    return this.received.map((r) => serialize(r.packet));
  }
}

/**
 * Moves the network's virtual time on by `ms` (default 10): what is in flight is delivered and
 * answered, and timers due meanwhile run. Exact, and instant in real time.
 */
export const settle = (network: MemoryNetwork, ms = 10) => network.clock.sleep(ms);
