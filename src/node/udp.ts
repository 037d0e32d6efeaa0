/**
 * Transport over real UDP sockets. One unicast socket sends everything, multicast included, so a
 * datagram's source address is always the address its sender names. Each joined channel gets a
 * receive socket bound to the group address (binding a receiver to 127.0.0.1 receives no
 * multicast), member on the explicitly chosen interface only.
 */
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { isMulticast } from '../values.ts';
import { type Endpoint, endpointKey, LOOPBACK, type Transport, type TransportEvents } from './transport.ts';
import { bindSocket, closeSocket, type SocketError, socketError } from './udp-socket.ts';

/** Named as in multicast-dns, whose options users already know. */
export interface UdpTransportOptions {
  /** Unicast address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Unicast port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface multicast is sent and joined on. Default `127.0.0.1`: nothing leaves this host. */
  interface?: string;
  /** Multicast TTL. Default 1 (this link only). */
  ttl?: number;
  /** Whether our multicast is looped back to this host (other servers on it must hear it). Default true. */
  loopback?: boolean;
  /** Let several sockets, in this process or others, receive one channel. Default true. */
  reuseAddr?: boolean;
  /** Socket buffer sizes in bytes, for bursts. Default 4 MiB each; a smaller kernel cap is survived. */
  recvBufferSize?: number;
  /** Like `recvBufferSize`, for sending. */
  sendBufferSize?: number;
}

const BUFFER = 4 * 1024 * 1024;

/** A channel being joined (no socket yet) or joined. */
interface Membership {
  channel: Endpoint;
  socket: Socket | undefined;
  ready: Promise<void>;
}

/**
 * A {@link Transport} over real UDP sockets: one unicast socket, and one socket per joined
 * channel, bound to the group and joined on `interface` only.
 * @example
 * const server = createServer({ alias: 'alpha', transport: udpTransport({ interface: LOOPBACK, ttl: 1 }) });
 */
export function udpTransport(options: UdpTransportOptions = {}): Transport {
  return new UdpTransport(options);
}

class UdpTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly #options: Required<UdpTransportOptions>;
  #opening: Promise<Endpoint> | undefined;
  #unicast: Socket | undefined;
  #address: Endpoint | undefined;
  readonly #memberships = new Map<string, Membership>();
  #closed = false;

  constructor(options: UdpTransportOptions) {
    super();
    this.#options = {
      host: options.host ?? LOOPBACK,
      port: options.port ?? 0,
      interface: options.interface ?? LOOPBACK,
      ttl: options.ttl ?? 1,
      loopback: options.loopback ?? true,
      reuseAddr: options.reuseAddr ?? true,
      recvBufferSize: options.recvBufferSize ?? BUFFER,
      sendBufferSize: options.sendBufferSize ?? BUFFER,
    };
  }

  get address(): Endpoint {
    if (!this.#address) throw new Error('transport is not open');
    return this.#address;
  }

  get channels(): readonly Endpoint[] {
    return [...this.#memberships.values()].filter((m) => m.socket).map((m) => m.channel);
  }

  open(): Promise<Endpoint> {
    if (this.#closed) return Promise.reject(new Error('transport is closed'));
    // Opening twice must not bind a second socket: both callers get the one address.
    this.#opening ??= this.#openUnicast().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async #openUnicast(): Promise<Endpoint> {
    const { host, port, interface: iface } = this.#options;
    // Literal addresses only: a host name would mean a DNS lookup, and an interface name is not
    // what IP_MULTICAST_IF takes.
    if (!isIPv4(host)) throw new Error(`host ${host} is not an IPv4 address`);
    if (!isIPv4(iface)) throw new Error(`multicast interface ${iface} is not an IPv4 address`);
    const where = `unicast socket ${host}:${port}`;
    const socket = await bindSocket({ type: 'udp4' }, port, host, where);
    if (this.#closed) {
      await closeSocket(socket);
      throw new Error(`transport closed while opening ${where}`);
    }
    try {
      // Without an explicit interface, multicast follows the default route off the machine: a
      // socket that cannot be pinned to its interface is not used at all.
      socket.setMulticastInterface(iface);
      socket.setMulticastTTL(this.#options.ttl);
      socket.setMulticastLoopback(this.#options.loopback);
    } catch (error) {
      await closeSocket(socket);
      throw socketError(error, `configuring multicast on ${where} (interface ${iface})`);
    }
    this.#listen(socket, where);
    this.#unicast = socket;
    const bound = socket.address();
    this.#address = { ip: bound.address, port: bound.port };
    return this.#address;
  }

  async join(channel: Endpoint): Promise<void> {
    if (!isMulticast(channel.ip)) throw new Error(`${channel.ip} is not a multicast address (224.0.0.0/4)`);
    if (this.#closed) return;
    const key = endpointKey(channel);
    const existing = this.#memberships.get(key);
    if (existing) return existing.ready; // joining twice, even concurrently, is one membership
    const membership: Membership = { channel: { ...channel }, socket: undefined, ready: Promise.resolve() };
    this.#memberships.set(key, membership);
    membership.ready = this.#openChannel(membership);
    try {
      await membership.ready;
    } catch (error) {
      if (this.#memberships.get(key) === membership) this.#memberships.delete(key);
      throw error;
    }
  }

  async #openChannel(membership: Membership): Promise<void> {
    const { channel } = membership;
    const iface = this.#options.interface;
    if (!isIPv4(iface)) throw new Error(`multicast interface ${iface} is not an IPv4 address`);
    const where = `channel ${endpointKey(channel)} on interface ${iface}`;
    const socket = await bindSocket(
      { type: 'udp4', reuseAddr: this.#options.reuseAddr },
      channel.port,
      channel.ip,
      where,
    );
    // Left, or the transport closed, while binding: nobody wants this socket any more.
    if (this.#closed || this.#memberships.get(endpointKey(channel)) !== membership) {
      await closeSocket(socket);
      return;
    }
    try {
      socket.addMembership(channel.ip, iface);
    } catch (error) {
      await closeSocket(socket);
      throw socketError(error, `cannot join ${where}`);
    }
    this.#listen(socket, where);
    membership.socket = socket;
  }

  async leave(channel: Endpoint): Promise<void> {
    const key = endpointKey(channel);
    const membership = this.#memberships.get(key);
    if (!membership) return;
    this.#memberships.delete(key);
    // Still binding: #openChannel sees the membership gone and closes its socket.
    await membership.ready.catch(() => {});
    const socket = membership.socket;
    if (!socket) return;
    this.#try(() => socket.dropMembership(channel.ip, this.#options.interface), `leaving channel ${key}`);
    await closeSocket(socket);
  }

  send(data: Uint8Array, to: Endpoint): void {
    if (this.#closed) return;
    const socket = this.#unicast;
    // Built only for a report: a room's fan-out sends many datagrams per packet received.
    const where = () => `sending to ${endpointKey(to)}`;
    if (!socket) {
      this.#report(new Error('transport is not open'), where());
      return;
    }
    // dgram would resolve a host name through DNS; an Endpoint is an IPv4 address.
    if (!isIPv4(to.ip)) {
      this.#report(new Error(`${to.ip} is not an IPv4 address`), where());
      return;
    }
    try {
      socket.send(data, to.port, to.ip, (error) => {
        if (error) this.#report(error, where());
      });
    } catch (error) {
      this.#report(error, where()); // bad port, socket closed under us
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const memberships = [...this.#memberships.values()];
    this.#memberships.clear();
    // Sockets still binding close themselves once they see #closed; wait for them too.
    await Promise.all([this.#opening?.catch(() => {}), ...memberships.map((m) => m.ready.catch(() => {}))]);
    const sockets = memberships.flatMap((m) => (m.socket ? [m.socket] : []));
    if (this.#unicast) sockets.push(this.#unicast);
    await Promise.all(sockets.map(closeSocket));
  }

  /** Wires a bound socket's datagrams and errors to the transport, and sizes its buffers. */
  #listen(socket: Socket, where: string): void {
    socket.on('error', (error) => this.#report(error, where));
    socket.on('message', (data, remote) =>
      this.emit('datagram', data, { ip: remote.address, port: remote.port }),
    );
    // The kernel may cap the sizes (net.core.rmem_max); a smaller buffer is not fatal.
    this.#try(
      () => socket.setRecvBufferSize(this.#options.recvBufferSize),
      `sizing the receive buffer of ${where}`,
    );
    this.#try(
      () => socket.setSendBufferSize(this.#options.sendBufferSize),
      `sizing the send buffer of ${where}`,
    );
  }

  #try(step: () => void, what: string): void {
    try {
      step();
    } catch (error) {
      this.#report(error, what);
    }
  }

  #report(error: unknown, where: string): void {
    const wrapped: SocketError = socketError(error, where);
    // No listener must not mean a crash (EventEmitter throws an unheard 'error'): the transport
    // survives its socket errors, so an unheard one becomes a process warning.
    if (this.listenerCount('error') > 0) this.emit('error', wrapped);
    else process.emitWarning(wrapped);
  }
}
