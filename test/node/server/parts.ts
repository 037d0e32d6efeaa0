/**
 * One server's parts without a whole server, built by the server's own builder
 * (src/node/server/parts.ts) on an in-memory network, and peers that speak to it and record what
 * it sends. Nothing is bound to the transport: a test hands datagrams to the dispatcher, or calls
 * handlers and mechanisms itself.
 */
import type { Packet } from '../../../src/ast.ts';
import { parse, serialize } from '../../../src/index.ts';
import type { MemoryNetwork } from '../../../src/node/memory.ts';
import type { Dispatcher } from '../../../src/node/server/dispatch.ts';
import type { ServerEvents } from '../../../src/node/server/events.ts';
import type { HandlerContext } from '../../../src/node/server/handlers/types.ts';
import { resolveServerOptions, type ServerOptions } from '../../../src/node/server/options.ts';
import { buildServerParts } from '../../../src/node/server/parts.ts';
import type { Endpoint, Transport } from '../../../src/node/transport.ts';
import { serverAt } from '../../../src/node/wire.ts';

export interface Parts {
  ctx: HandlerContext;
  dispatcher: Dispatcher;
  transport: Transport;
  /** Events the parts emitted, in order; the tracing ones (packetIn, packetOut) left out. */
  events: { event: keyof ServerEvents; args: unknown[] }[];
  /** How many times the parts asked for the state to be saved. */
  saves: () => number;
}

export const CHANNEL: Endpoint = { ip: '239.1.2.3', port: 8450 };

export async function serverParts(
  network: MemoryNetwork,
  options: Partial<ServerOptions> = {},
  port = 7000,
): Promise<Parts> {
  const transport = network.transport({ port });
  const resolved = resolveServerOptions({
    alias: 'alpha',
    channels: [CHANNEL],
    probeInterval: 20,
    transport,
    ...options,
  });
  await transport.open();
  await transport.join(CHANNEL);
  const events: Parts['events'] = [];
  let alias = resolved.alias;
  let saves = 0;
  const { ctx, dispatcher } = buildServerParts(resolved, {
    transport,
    self: () => serverAt(alias, transport.address),
    rename: (to) => {
      alias = to;
    },
    save: () => saves++,
    emit: (event, ...args) => {
      if (event !== 'packetIn' && event !== 'packetOut') events.push({ event, args });
    },
  });
  return { ctx, dispatcher, transport, events, saves: () => saves };
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
