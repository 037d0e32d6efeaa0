/**
 * Transport over real UDP sockets. One unicast socket sends everything, multicast included, so a
 * datagram's source address is always the address its sender names. Each joined channel gets a
 * receive socket bound to the group address (binding a receiver to 127.0.0.1 receives no
 * multicast), member on the explicitly chosen interface only.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import {
  type Endpoint,
  endpointKey,
  isMulticast,
  type Transport,
  type TransportEvents,
} from './transport.ts';

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
  /** Let several processes receive one channel on this host. Default true. */
  reuseAddr?: boolean;
  /** Socket buffer sizes in bytes, for bursts. Default 4 MiB each. */
  recvBufferSize?: number;
  sendBufferSize?: number;
}

const BUFFER = 4 * 1024 * 1024;

export function udpTransport(options: UdpTransportOptions = {}): Transport {
  return new UdpTransport(options);
}

class UdpTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly #options: Required<UdpTransportOptions>;
  #unicast: Socket | undefined;
  #address: Endpoint | undefined;
  readonly #channels = new Map<string, { channel: Endpoint; socket: Socket }>();
  #closed = false;

  constructor(options: UdpTransportOptions) {
    super();
    this.#options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      interface: options.interface ?? '127.0.0.1',
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
    return [...this.#channels.values()].map((c) => c.channel);
  }

  async open(): Promise<Endpoint> {
    const { host, port } = this.#options;
    const socket = createSocket({ type: 'udp4' });
    await bind(socket, port, host, `unicast socket ${host}:${port}`);
    socket.on('error', (error) => this.#report(error, `unicast socket ${host}:${port}`));
    socket.on('message', (data, remote) =>
      this.emit('datagram', data, { ip: remote.address, port: remote.port }),
    );
    this.#tune(socket, 'unicast socket');
    this.#try(() => socket.setMulticastInterface(this.#options.interface), 'setting the multicast interface');
    this.#try(() => socket.setMulticastTTL(this.#options.ttl), 'setting the multicast TTL');
    this.#try(() => socket.setMulticastLoopback(this.#options.loopback), 'setting multicast loopback');
    this.#unicast = socket;
    this.#address = { ip: socket.address().address, port: socket.address().port };
    return this.#address;
  }

  async join(channel: Endpoint): Promise<void> {
    if (!isMulticast(channel.ip)) throw new Error(`${channel.ip} is not a multicast address (224.0.0.0/4)`);
    const key = endpointKey(channel);
    if (this.#channels.has(key) || this.#closed) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: this.#options.reuseAddr });
    const where = `channel ${key} on interface ${this.#options.interface}`;
    await bind(socket, channel.port, channel.ip, where);
    try {
      socket.addMembership(channel.ip, this.#options.interface);
    } catch (error) {
      socket.close();
      throw new Error(`cannot join ${where}: ${(error as Error).message}`);
    }
    socket.on('error', (error) => this.#report(error, where));
    socket.on('message', (data, remote) =>
      this.emit('datagram', data, { ip: remote.address, port: remote.port }),
    );
    this.#tune(socket, where);
    this.#channels.set(key, { channel: { ...channel }, socket });
  }

  async leave(channel: Endpoint): Promise<void> {
    const key = endpointKey(channel);
    const joined = this.#channels.get(key);
    if (!joined) return;
    this.#channels.delete(key);
    this.#try(() => joined.socket.dropMembership(channel.ip, this.#options.interface), `leaving ${key}`);
    await closeSocket(joined.socket);
  }

  send(data: Uint8Array, to: Endpoint): void {
    const socket = this.#unicast;
    if (!socket || this.#closed) return;
    try {
      socket.send(data, to.port, to.ip, (error) => {
        if (error) this.#report(error, `sending to ${endpointKey(to)}`);
      });
    } catch (error) {
      this.#report(error as Error, `sending to ${endpointKey(to)}`);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sockets = [...this.#channels.values()].map((c) => c.socket);
    this.#channels.clear();
    if (this.#unicast) sockets.push(this.#unicast);
    await Promise.all(sockets.map(closeSocket));
  }

  #tune(socket: Socket, where: string): void {
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
      this.#report(error as Error, what);
    }
  }

  #report(error: Error, where: string): void {
    const wrapped = new Error(`${where}: ${error.message}`, { cause: error });
    // No listener must not mean a crash: a transport survives its socket errors.
    if (this.listenerCount('error') > 0) this.emit('error', wrapped);
    else process.emitWarning(wrapped);
  }
}

function bind(socket: Socket, port: number, address: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(new Error(`cannot bind ${what}: ${error.message}`, { cause: error }));
    };
    socket.once('error', onError);
    socket.bind({ port, address }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
