/**
 * The kit's UDP endpoint: a unicast socket that sends datagrams and keeps every datagram it
 * receives, optionally also a member of multicast channels (on 127.0.0.1 only, TTL 1). Everything
 * sent and received goes into the case's transcript.
 */
import { createSocket, type Socket } from 'node:dgram';
import { type Packet, safeParse } from '../index.ts';
import { isMulticast } from '../values.ts';
import { showDatagram, type Transcript } from './transcript.ts';

/** An IPv4 address and port. */
export interface Address {
  /** A dotted quad, e.g. `"127.0.0.1"`. */
  ip: string;
  /** A UDP port, 0-65535. */
  port: number;
}

/** A datagram the probe received. */
export interface Received {
  data: Buffer;
  text: string;
  /** The packet, when the datagram parses. */
  packet: Packet | undefined;
  from: Address;
  /** The channel it arrived on, or undefined for unicast. */
  channel: Address | undefined;
  /** Set once a wait has returned it, so that the next wait looks further. */
  taken: boolean;
  /** When it arrived (`performance.now()`). */
  at: number;
}

/** The interface multicast is sent and joined on: the kit never sends off this host. */
export const KIT_INTERFACE = '127.0.0.1';

const key = (a: Address) => `${a.ip}:${a.port}`;

/** Whether two addresses are the same IP and port. */
export const sameAddress = (a: Address, b: Address): boolean => a.ip === b.ip && a.port === b.port;

/**
 * The unicast addresses of every probe open in this process. Kit actors on a channel hear one
 * another (and those of cases running beside them); that is the kit talking to itself, neither
 * evidence nor worth a line in a report, so it is ignored.
 */
const KIT_ADDRESSES = new Set<string>();

function bind(socket: Socket, port: number, ip: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: ip }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/** Sockets the kit opened, each with its receive log. */
export class Probe {
  readonly actor: string;
  readonly received: Received[] = [];
  #socket: Socket | undefined;
  #address: Address | undefined;
  readonly #channels = new Map<string, Socket>();
  readonly #transcript: Transcript;
  readonly #waiters = new Set<() => void>();
  readonly #listeners: ((r: Received) => void)[] = [];
  #closed = false;
  /** Datagrams handed to the socket whose send has not completed, and who waits for them. */
  #unsent = 0;
  readonly #flushed: (() => void)[] = [];

  constructor(actor: string, transcript: Transcript) {
    this.actor = actor;
    this.#transcript = transcript;
  }

  /** Binds the unicast socket on 127.0.0.1; `port` 0 picks a free one. */
  async open(port = 0): Promise<Address> {
    const socket = createSocket('udp4');
    try {
      await bind(socket, port, KIT_INTERFACE);
    } catch (error) {
      socket.close();
      throw error;
    }
    socket.setMulticastInterface(KIT_INTERFACE);
    socket.setMulticastTTL(1);
    socket.setMulticastLoopback(true);
    socket.on('message', (data, rinfo) =>
      this.#receive(data, { ip: rinfo.address, port: rinfo.port }, undefined),
    );
    socket.on('error', () => {}); // ICMP errors from a closed peer: not the kit's concern
    this.#socket = socket;
    const bound = socket.address();
    this.#address = { ip: bound.address, port: bound.port };
    KIT_ADDRESSES.add(key(this.#address));
    return this.#address;
  }

  /** Binds the unicast socket on a free port below 10000, so that it can be written with a leading zero. */
  openLowPort(): Promise<Address> {
    return this.#openBetween(1024, 9999);
  }

  /** Binds the unicast socket on a free port above `port`. */
  openAbove(port: number): Promise<Address> {
    return this.#openBetween(port + 1, 65535);
  }

  async #openBetween(low: number, high: number): Promise<Address> {
    for (let attempt = 0; attempt < 50 && low <= high; attempt++) {
      try {
        return await this.open(low + Math.floor(Math.random() * (high - low + 1)));
      } catch {
        // taken: try another
      }
    }
    throw new Error(`no free port from ${low} to ${high}`);
  }

  get address(): Address {
    if (!this.#address) throw new Error('probe is not open');
    return this.#address;
  }

  /** Receives a multicast channel: a socket bound to the group's port, member on 127.0.0.1 only. */
  async join(channel: Address): Promise<void> {
    if (this.#channels.has(key(channel))) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    try {
      await bind(socket, channel.port, channel.ip);
      socket.addMembership(channel.ip, KIT_INTERFACE);
    } catch (error) {
      socket.close();
      throw error;
    }
    socket.on('message', (data, rinfo) => {
      const from = { ip: rinfo.address, port: rinfo.port };
      // Our own multicast comes back (it is in the transcript already, as sent), and other kit
      // actors' multicast is the kit talking to itself.
      if (KIT_ADDRESSES.has(key(from))) return;
      this.#receive(data, from, channel);
    });
    socket.on('error', () => {});
    this.#channels.set(key(channel), socket);
  }

  /** Sends one datagram from the unicast socket (to a channel too, so its source is our address). */
  send(data: string | Uint8Array, to: Address): void {
    if (this.#closed || !this.#socket) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const multicast = isMulticast(to.ip);
    this.#transcript.record({
      actor: this.actor,
      direction: 'sent',
      peer: multicast ? `${key(to)} (channel)` : key(to),
      text: showDatagram(bytes),
      bytes: bytes.length,
    });
    this.#unsent++;
    this.#socket.send(bytes, to.port, to.ip, () => {
      if (--this.#unsent === 0) for (const wake of this.#flushed.splice(0)) wake();
    });
  }

  /** Resolves once every datagram sent so far has left the socket: closing earlier may drop it. */
  flushed(): Promise<void> {
    if (this.#unsent === 0) return Promise.resolve();
    return new Promise((resolve) => this.#flushed.push(resolve));
  }

  /**
   * The first received datagram not yet taken that matches, waiting up to `timeout` ms for one;
   * undefined if none came. The datagram is marked taken.
   */
  async next(match: (r: Received) => boolean, timeout: number): Promise<Received | undefined> {
    const deadline = performance.now() + timeout;
    for (;;) {
      const found = this.received.find((r) => !r.taken && match(r));
      if (found) {
        found.taken = true;
        return found;
      }
      const left = deadline - performance.now();
      if (left <= 0 || this.#closed) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  /** Every datagram received so far that matches, taken or not. */
  all(match: (r: Received) => boolean): Received[] {
    return this.received.filter(match);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A datagram sent just before (a kit server's last gossip) must not be dropped by the close.
    for (const wake of [...this.#waiters]) wake();
    await this.flushed();
    if (this.#address) KIT_ADDRESSES.delete(key(this.#address));
    const sockets = [...this.#channels.values(), ...(this.#socket ? [this.#socket] : [])];
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  #receive(data: Buffer, from: Address, channel: Address | undefined): void {
    if (this.#closed) return;
    // Bounded: a flood from the implementation under test cannot fill memory.
    if (this.received.length >= 5000) return;
    const result = safeParse(data);
    const text = data.toString('utf8');
    this.received.push({
      data,
      text,
      packet: result.ok ? result.value : undefined,
      from,
      channel,
      taken: false,
      at: performance.now(),
    });
    this.#transcript.record({
      actor: this.actor,
      direction: 'received',
      peer: channel ? `${key(from)} via ${key(channel)}` : key(from),
      text: showDatagram(data),
      bytes: data.length,
    });
    const received = this.received.at(-1) as Received;
    for (const listener of this.#listeners) listener(received);
    for (const wake of [...this.#waiters]) wake();
  }

  /** Calls `listener` for every datagram received from now on (an actor's automatic answers). */
  onReceive(listener: (r: Received) => void): void {
    this.#listeners.push(listener);
  }
}
