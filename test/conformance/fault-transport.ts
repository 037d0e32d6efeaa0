/**
 * Planted faults for the conformance self-test: a Transport around udpTransport that lets a fault
 * drop, rewrite, add or forge datagrams on the way out of or into a reference server or user node,
 * and change what joining a channel does. The node stays the reference; only what crosses its
 * socket lies.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { type Packet, safeParse, serialize } from '../../src/index.ts';
import { type Endpoint, type Transport, type TransportEvents, udpTransport } from '../../src/node/index.ts';

/** What a fault does with one datagram: keep it (undefined), drop it, or replace it by others. */
export type FaultAction = undefined | 'drop' | Packet | string | (Packet | string)[];

/** What a fault can see and do besides the datagram at hand. */
export interface FaultTools {
  /** The server's unicast address. */
  readonly self: Endpoint;
  /** The server's alias, once it has sent a packet. */
  readonly alias: string | undefined;
  /** The first channel the server joined. */
  readonly firstChannel: Endpoint | undefined;
  /** Channels the server is told it joined, though nothing was joined. */
  readonly pretended: Endpoint[];
  /** Addresses that sent this server a user PREFERRED. */
  readonly registered: Set<string>;
  /** Sends a datagram from the server's socket, past the fault. */
  send(data: Packet | string, to: Endpoint): void;
  /** Hands the node a datagram as if it had arrived from `from`. */
  inject(data: Packet | string, from: Endpoint): void;
  /** Sends a datagram from a second socket of the node's host (another source port). */
  sendElsewhere(data: Packet | string, to: Endpoint): void;
}

/** A deliberately broken server or user node: the case it must make fail, and what it breaks. */
export interface Fault {
  /** What is broken, in words. */
  name: string;
  /** The case id this fault must make fail (and no other case of its section). */
  catches: string;
  outgoing?(packet: Packet | undefined, to: Endpoint, tools: FaultTools, text: string): FaultAction;
  incoming?(packet: Packet | undefined, from: Endpoint, tools: FaultTools, text: string): FaultAction;
  /** Replaces joining a channel after the first (the server asked to join `channel`). */
  join?(channel: Endpoint, inner: Transport, tools: FaultTools): Promise<void>;
}

export const key = (e: Endpoint) => `${e.ip}:${e.port}`;

const encode = (p: Packet | string) => new TextEncoder().encode(typeof p === 'string' ? p : serialize(p));

/** A Transport for createServer or createUserNode that plants `fault`. */
export function faultyTransport(fault: Fault): Transport {
  const inner = udpTransport();
  const events = new EventEmitter<TransportEvents>();
  let alias: string | undefined;
  let firstChannel: Endpoint | undefined;
  const pretended: Endpoint[] = [];
  const registered = new Set<string>();
  let elsewhere: Socket | undefined;
  const tools: FaultTools = {
    get self() {
      return inner.address;
    },
    get alias() {
      return alias;
    },
    get firstChannel() {
      return firstChannel;
    },
    pretended,
    registered,
    send: (data, to) => inner.send(encode(data), to),
    inject: (data, from) => events.emit('datagram', encode(data), from),
    sendElsewhere(data, to) {
      if (!elsewhere) {
        elsewhere = createSocket('udp4');
        elsewhere.bind(0, '127.0.0.1');
      }
      elsewhere.send(encode(data), to.port, to.ip);
    },
  };
  const apply = (action: FaultAction, original: Uint8Array, deliver: (data: Uint8Array) => void) => {
    if (action === 'drop') return;
    if (action === undefined) return deliver(original);
    for (const item of Array.isArray(action) ? action : [action]) deliver(encode(item));
  };
  inner.on('datagram', (data, from) => {
    const text = new TextDecoder().decode(data);
    const parsed = safeParse(data);
    const packet = parsed.ok ? parsed.value : undefined;
    if (packet?.kind === 'UserCommand' && packet.command.verb === 'PREFERRED') registered.add(key(from));
    apply(fault.incoming?.(packet, from, tools, text), data, (d) => events.emit('datagram', d, from));
  });
  inner.on('error', (error) => events.emit('error', error));

  const transport: Transport = {
    open: () => inner.open(),
    get address() {
      return inner.address;
    },
    join(channel) {
      if (firstChannel === undefined) {
        firstChannel = channel;
        return inner.join(channel);
      }
      return fault.join ? fault.join(channel, inner, tools) : inner.join(channel);
    },
    leave: (channel) => inner.leave(channel),
    get channels() {
      return [...inner.channels, ...pretended];
    },
    send(data, to) {
      const parsed = safeParse(data);
      const packet = parsed.ok ? parsed.value : undefined;
      if (packet && packet.kind !== 'UserCommand') alias ??= packet.sender.alias;
      const text = new TextDecoder().decode(data);
      apply(fault.outgoing?.(packet, to, tools, text), data, (d) => inner.send(d, to));
    },
    on(event, listener) {
      events.on(event, listener as never);
      return transport;
    },
    off(event, listener) {
      events.off(event, listener as never);
      return transport;
    },
    close() {
      elsewhere?.close();
      elsewhere = undefined;
      return inner.close();
    },
  };
  return transport;
}
