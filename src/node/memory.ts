/**
 * An in-memory network for deterministic timing and loss tests, beside (never instead of) the
 * real UDP tests. Delivery is always asynchronous, like a socket's, with optional delay, loss and
 * partitions between groups of endpoints.
 */
import { EventEmitter } from 'node:events';
import {
  type Endpoint,
  endpointKey,
  isMulticast,
  type Transport,
  type TransportEvents,
} from './transport.ts';

export interface MemoryNetworkOptions {
  /** Delivery delay in ms. Default 0. */
  delay?: number;
  /** Probability (0..1) that a delivery is dropped. Default 0. */
  loss?: number;
  /** Random source for loss, e.g. a seeded generator. Default Math.random. */
  random?: () => number;
}

export class MemoryNetwork {
  delay: number;
  loss: number;
  readonly #random: () => number;
  readonly #bound = new Map<string, MemoryTransport>();
  #nextPort = 40000;
  #partition: [Set<string>, Set<string>] | undefined;
  /** Datagram deliveries attempted, made, and dropped (by loss or partition). */
  readonly stats = { sent: 0, delivered: 0, dropped: 0 };

  constructor(options: MemoryNetworkOptions = {}) {
    this.delay = options.delay ?? 0;
    this.loss = options.loss ?? 0;
    this.#random = options.random ?? Math.random;
  }

  transport(options: { host?: string; port?: number } = {}): Transport {
    return new MemoryTransport(this, options.host ?? '127.0.0.1', options.port ?? 0);
  }

  /** Drops all traffic between the two groups until `heal()`. */
  partition(a: Endpoint[], b: Endpoint[]): void {
    this.#partition = [new Set(a.map(endpointKey)), new Set(b.map(endpointKey))];
  }

  heal(): void {
    this.#partition = undefined;
  }

  /** @internal */
  bind(transport: MemoryTransport, ip: string, port: number): Endpoint {
    let chosen = port;
    if (chosen === 0) while (this.#bound.has(`${ip}:${this.#nextPort}`)) this.#nextPort++;
    if (chosen === 0) chosen = this.#nextPort++;
    const key = `${ip}:${chosen}`;
    if (this.#bound.has(key)) throw new Error(`bind EADDRINUSE ${key}`);
    this.#bound.set(key, transport);
    return { ip, port: chosen };
  }

  /** @internal */
  unbind(address: Endpoint): void {
    this.#bound.delete(endpointKey(address));
  }

  /** @internal */
  route(data: Uint8Array, from: Endpoint, to: Endpoint): void {
    const receivers = isMulticast(to.ip)
      ? [...this.#bound.values()].filter((t) => t.listensTo(to))
      : [this.#bound.get(endpointKey(to))].filter((t) => t !== undefined);
    for (const receiver of receivers) {
      this.stats.sent++;
      if (this.#blocked(from, receiver.address) || this.#random() < this.loss) {
        this.stats.dropped++;
        continue;
      }
      const copy = new Uint8Array(data);
      setTimeout(() => {
        this.stats.delivered++;
        receiver.deliver(copy, from);
      }, this.delay);
    }
  }

  #blocked(a: Endpoint, b: Endpoint): boolean {
    if (!this.#partition) return false;
    const [x, y] = this.#partition;
    const [ka, kb] = [endpointKey(a), endpointKey(b)];
    return (x.has(ka) && y.has(kb)) || (y.has(ka) && x.has(kb));
  }
}

class MemoryTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly #network: MemoryNetwork;
  readonly #host: string;
  readonly #port: number;
  #address: Endpoint | undefined;
  readonly #channels = new Map<string, Endpoint>();
  #closed = false;

  constructor(network: MemoryNetwork, host: string, port: number) {
    super();
    this.#network = network;
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
    this.#address = this.#network.bind(this, this.#host, this.#port);
    return this.#address;
  }

  async join(channel: Endpoint): Promise<void> {
    if (!isMulticast(channel.ip)) throw new Error(`${channel.ip} is not a multicast address (224.0.0.0/4)`);
    this.#channels.set(endpointKey(channel), { ...channel });
  }

  async leave(channel: Endpoint): Promise<void> {
    this.#channels.delete(endpointKey(channel));
  }

  listensTo(channel: Endpoint): boolean {
    return !this.#closed && this.#channels.has(endpointKey(channel));
  }

  send(data: Uint8Array, to: Endpoint): void {
    if (this.#closed || !this.#address) return;
    this.#network.route(data, this.#address, to);
  }

  deliver(data: Uint8Array, from: Endpoint): void {
    if (!this.#closed) this.emit('datagram', data, from);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#address) this.#network.unbind(this.#address);
  }
}
