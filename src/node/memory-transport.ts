/**
 * One endpoint on a MemoryNetwork. It reaches the network only through the NetworkAccess the
 * network hands it, so binding and routing stay out of MemoryNetwork's public surface.
 */
import { EventEmitter } from 'node:events';
import { isMulticast } from '../values.ts';
import type { Clock } from './clock.ts';
import { type Endpoint, endpointKey, type Transport, type TransportEvents } from './transport.ts';

/** What a MemoryNetwork lets its transports do. */
export interface NetworkAccess {
  /** Claims ip:port (0 picks a free port); throws an EADDRINUSE error if it is taken. */
  bind(transport: MemoryTransport, ip: string, port: number): Endpoint;
  unbind(address: Endpoint): void;
  route(data: Uint8Array, from: Endpoint, to: Endpoint): void;
  /** A transport joined or left a channel: who listens to which channel changed. */
  membershipChanged(): void;
}

export class MemoryTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly #network: NetworkAccess;
  /** The network's clock: nodes on this transport run on it unless given another. */
  readonly clock: Clock;
  readonly #host: string;
  readonly #port: number;
  #address: Endpoint | undefined;
  readonly #channels = new Map<string, Endpoint>();
  #closed = false;

  constructor(network: NetworkAccess, clock: Clock, host: string, port: number) {
    super();
    this.#network = network;
    this.clock = clock;
    this.#host = host;
    this.#port = port;
  }

  get address(): Endpoint {
    if (!this.#address) throw new Error('transport is not open');
    return this.#address;
  }

  get channels(): readonly Endpoint[] {
    return [...this.#channels.values()];
  }

  async open(): Promise<Endpoint> {
    if (this.#closed) throw new Error('transport is closed');
    // Like udp.ts: opening twice keeps the one address rather than claiming a second.
    this.#address ??= this.#network.bind(this, this.#host, this.#port);
    return this.#address;
  }

  async join(channel: Endpoint): Promise<void> {
    if (!isMulticast(channel.ip)) throw new Error(`${channel.ip} is not a multicast address (224.0.0.0/4)`);
    if (this.#closed) return;
    const key = endpointKey(channel);
    if (!this.#channels.has(key)) {
      this.#channels.set(key, { ...channel });
      this.#network.membershipChanged();
    }
  }

  async leave(channel: Endpoint): Promise<void> {
    if (this.#channels.delete(endpointKey(channel))) this.#network.membershipChanged();
  }

  /** Whether a datagram sent to `channel` now should be delivered here. */
  listensTo(channel: Endpoint): boolean {
    return !this.#closed && this.#address !== undefined && this.#channels.has(endpointKey(channel));
  }

  send(data: Uint8Array, to: Endpoint): void {
    if (this.#closed) return;
    if (!this.#address) {
      this.#report(new Error(`sending to ${endpointKey(to)}: transport is not open`));
      return;
    }
    this.#network.route(data, this.#address, to);
  }

  /** Hands a datagram to the listeners; false if this transport closed while it was in flight. */
  deliver(data: Uint8Array, from: Endpoint): boolean {
    if (this.#closed) return false;
    this.emit('datagram', data, from);
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    if (this.#address) this.#network.unbind(this.#address);
  }

  #report(error: Error): void {
    // As in udp.ts: an unheard error must not throw out of send.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error);
  }
}
