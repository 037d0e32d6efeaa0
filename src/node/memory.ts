/**
 * An in-memory network for deterministic timing and loss tests, beside (never instead of) the
 * real UDP tests. Delivery is always asynchronous, like a socket's, with optional delay, jitter
 * (reordering), loss, duplication and partitions between groups of endpoints. It runs on a virtual clock (clock.ts) that its nodes
 * share: deliveries are timers on it, so time moves only from one event to the next.
 */

import { isMulticast } from '../values.ts';
import { type Clock, VirtualClock } from './clock.ts';
import { MemoryTransport, type NetworkAccess } from './memory-transport.ts';
import { type Endpoint, endpointKey, LOOPBACK, type Transport } from './transport.ts';

/** Options of a {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Delivery delay in ms, given to the scheduler. Default 0. */
  delayMs?: number;
  /** Probability (0..1) that each delivery is dropped. Default 0. */
  loss?: number;
  /** Probability (0..1) that a delivery is made twice, the copy `jitterMs` at most later. Default 0. */
  duplicate?: number;
  /**
   * Each delivery is delayed by a further random 0..jitterMs ms, so datagrams overtake each
   * other (reordering). Default 0.
   */
  jitterMs?: number;
  /** Random source for loss, duplication and jitter, e.g. a seeded generator. Default Math.random. */
  random?: () => number;
  /**
   * The clock deliveries are timed by, and that nodes on this network use unless given another.
   * Default a new {@link VirtualClock}.
   */
  clock?: Clock;
}

/**
 * Counts of deliveries (one per receiver of a datagram): attempted, made, and dropped (by loss,
 * partition, no receiver at a unicast address, or a receiver that closed before delivery).
 * `sent - delivered - dropped` are still in flight.
 */
export interface MemoryNetworkStats {
  /** Deliveries attempted. */
  sent: number;
  /** Deliveries made. */
  delivered: number;
  /** Deliveries dropped. */
  dropped: number;
}

/** Ports that port 0 picks from, as an OS picks ephemeral ports. */
const FIRST_FREE_PORT = 40000;
const LAST_PORT = 65535;

/**
 * An in-memory datagram network with unicast, multicast, delay, loss and partitions, for tests
 * of timing and loss that must be exact. Give each node `transport: network.transport()`.
 * @example
 * const network = new MemoryNetwork({ loss: 0.05 });
 * const server = createServer({ alias: 'alpha', transport: network.transport() });
 */
export class MemoryNetwork {
  /** Delivery delay in ms; may change during a test. */
  delayMs: number;
  /** Probability (0..1) that a delivery is dropped; may change during a test, e.g. loss on for a phase. */
  loss: number;
  /** Probability (0..1) that a delivery is made twice; may change during a test. */
  duplicate: number;
  /** Extra random delay of up to this many ms per delivery (reordering); may change during a test. */
  jitterMs: number;
  /** The time on this network: what its deliveries, and by default its nodes, run on. */
  readonly clock: Clock;
  readonly #random: () => number;
  readonly #bound = new Map<string, MemoryTransport>();
  /**
   * Who listens to each channel, in the order they bound (a multicast is delivered in that
   * order): worked out when first needed, forgotten whenever a transport binds, unbinds, joins
   * or leaves, so a network of many nodes does not look at every node for every multicast.
   */
  readonly #listeners = new Map<string, MemoryTransport[]>();
  readonly #stats: MemoryNetworkStats = { sent: 0, delivered: 0, dropped: 0 };
  #partition: [Set<string>, Set<string>] | undefined;

  constructor(options: MemoryNetworkOptions = {}) {
    this.delayMs = options.delayMs ?? 0;
    this.loss = options.loss ?? 0;
    this.duplicate = options.duplicate ?? 0;
    this.jitterMs = options.jitterMs ?? 0;
    this.#random = options.random ?? Math.random;
    this.clock = options.clock ?? new VirtualClock();
  }

  /** A snapshot of the delivery counts. */
  get stats(): Readonly<MemoryNetworkStats> {
    return { ...this.#stats };
  }

  /** A transport on this network: its unicast address is `host` (default 127.0.0.1) and `port` (0: a free one). */
  transport(options: { host?: string; port?: number } = {}): Transport {
    const access: NetworkAccess = {
      bind: (transport, ip, port) => this.#bind(transport, ip, port),
      unbind: (address) => {
        this.#bound.delete(endpointKey(address));
        this.#listeners.clear();
      },
      route: (data, from, to) => this.#route(data, from, to),
      membershipChanged: () => this.#listeners.clear(),
    };
    return new MemoryTransport(access, this.clock, options.host ?? LOOPBACK, options.port ?? 0);
  }

  /** Drops all traffic (unicast and multicast) between the two groups until `heal()`. */
  partition(a: Endpoint[], b: Endpoint[]): void {
    this.#partition = [new Set(a.map(endpointKey)), new Set(b.map(endpointKey))];
  }

  /** Ends the partition: all traffic flows again. */
  heal(): void {
    this.#partition = undefined;
  }

  #bind(transport: MemoryTransport, ip: string, port: number): Endpoint {
    const chosen = port === 0 ? this.#freePort(ip) : port;
    const key = endpointKey({ ip, port: chosen });
    if (this.#bound.has(key)) {
      throw Object.assign(new Error(`bind EADDRINUSE ${key}`), { code: 'EADDRINUSE' });
    }
    this.#bound.set(key, transport);
    this.#listeners.clear();
    return { ip, port: chosen };
  }

  #freePort(ip: string): number {
    for (let port = FIRST_FREE_PORT; port <= LAST_PORT; port++) {
      if (!this.#bound.has(endpointKey({ ip, port }))) return port;
    }
    throw Object.assign(new Error(`bind EADDRINUSE ${ip}: no free port`), { code: 'EADDRINUSE' });
  }

  #route(data: Uint8Array, from: Endpoint, to: Endpoint): void {
    const receivers = isMulticast(to.ip) ? this.#listenersOf(to) : [this.#bound.get(endpointKey(to))];
    for (const receiver of receivers) {
      this.#stats.sent++;
      if (!receiver || this.#blocked(from, receiver.address) || this.#random() < this.loss) {
        this.#stats.dropped++;
        continue;
      }
      this.#deliver(receiver, data, from);
      if (this.duplicate > 0 && this.#random() < this.duplicate) {
        this.#stats.sent++;
        this.#deliver(receiver, data, from);
      }
    }
  }

  #listenersOf(channel: Endpoint): MemoryTransport[] {
    const key = endpointKey(channel);
    let listeners = this.#listeners.get(key);
    if (!listeners) {
      listeners = [...this.#bound.values()].filter((t) => t.listensTo(channel));
      this.#listeners.set(key, listeners);
    }
    return listeners;
  }

  #deliver(receiver: MemoryTransport, data: Uint8Array, from: Endpoint): void {
    // Copied now: the sender may reuse its buffer, and each receiver owns its copy.
    const copy = new Uint8Array(data);
    const jitter = this.jitterMs > 0 ? Math.floor(this.#random() * (this.jitterMs + 1)) : 0;
    // A timer even at delay 0: a socket never delivers inside `send`.
    this.clock.setTimeout(() => {
      if (receiver.deliver(copy, from)) this.#stats.delivered++;
      else this.#stats.dropped++;
    }, this.delayMs + jitter);
  }

  #blocked(a: Endpoint, b: Endpoint): boolean {
    if (!this.#partition) return false;
    const [x, y] = this.#partition;
    const [ka, kb] = [endpointKey(a), endpointKey(b)];
    return (x.has(ka) && y.has(kb)) || (y.has(ka) && x.has(kb));
  }
}
