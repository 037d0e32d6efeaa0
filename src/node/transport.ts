/**
 * The one seam between the protocol mechanisms and the network: servers and user nodes speak
 * through a Transport, so the same code runs over real UDP sockets (udp.ts) and over an in-memory
 * network (memory.ts) for deterministic timing and loss tests.
 */
import type { Clock } from './clock.ts';

/** An IPv4 address and port: a unicast endpoint or a multicast channel. */
export interface Endpoint {
  /** IPv4 address as a dotted quad, e.g. `"127.0.0.1"` or `"230.0.0.1"`. */
  ip: string;
  /** UDP port, 0-65535. */
  port: number;
}

/** What a transport reports. */
export interface TransportEvents {
  /** A datagram arrived, on the unicast socket or on a joined channel. `from` is its source address. */
  datagram: [data: Uint8Array, from: Endpoint];
  /** A socket problem that was survived (send failure, interface gone, ...). */
  error: [error: Error];
}

/**
 * How servers and user nodes reach the network: one unicast socket plus joined multicast
 * channels. {@link udpTransport} gives real sockets, {@link MemoryNetwork.transport} an in-memory
 * network; implement it to run the protocol over anything else that carries datagrams.
 */
export interface Transport {
  /** Binds the unicast socket. Resolves with the bound address (port 0 picks a free port). */
  open(): Promise<Endpoint>;
  /** The bound unicast address; throws before `open()`. */
  readonly address: Endpoint;
  /** Starts receiving a multicast channel's datagrams. Joining twice is a no-op. */
  join(channel: Endpoint): Promise<void>;
  /** Stops receiving a channel. Leaving a channel not joined is a no-op. */
  leave(channel: Endpoint): Promise<void>;
  /** The channels joined, in join order. */
  readonly channels: readonly Endpoint[];
  /**
   * Sends one datagram from the unicast socket (multicast included, so its source address is
   * always the unicast address). Never throws for network problems: they are emitted as `error`.
   */
  send(data: Uint8Array, to: Endpoint): void;
  /** Listens for datagrams and survived errors. */
  on<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): this;
  /** Removes a listener added with `on`. */
  off<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): this;
  /** Closes every socket. Idempotent. */
  close(): Promise<void>;
  /**
   * The clock of the network this transport is on, when that network keeps its own time (the
   * in-memory network's virtual clock): a node on it runs on that clock unless given another.
   */
  readonly clock?: Clock;
}

/** The loopback address: every default address is this host only, so nothing leaves it unasked. */
export const LOOPBACK = '127.0.0.1';

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.ip === b.ip && a.port === b.port;
}

export function endpointKey(e: Endpoint): string {
  return `${e.ip}:${e.port}`;
}
