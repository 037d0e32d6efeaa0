/**
 * A second, minimal user node, written from the specification alone: one UDP socket on 127.0.0.1,
 * requests sent T ms apart up to N times (Section II.iii), and a record of every datagram received.
 * It sends no padding and no keep-alives.
 */
import dgram from 'node:dgram';
import {
  type Packet,
  type Server,
  type ServerReply,
  safeParse,
  serialize,
  type UCommand,
  type UserNode,
} from '../../src/index.ts';
import type { Address, Received } from './minimal-server.ts';

const LOOPBACK = '127.0.0.1';

export interface MinimalUserOptions {
  alias: string;
  /** The server to register with; its alias if known (Section I.i matches it by address). */
  server: Address & { alias?: string };
  /** T: ms to wait for an answer before sending again. Default 300. */
  timeout?: number;
  /** N: sends per request. Default 3. */
  retries?: number;
}

/** A SEND that reached this user: forwarded as a UserCommand, or echoed in a server's +OK. */
export interface Delivery {
  from: UserNode;
  text: string;
  /** Where the datagram came from. */
  source: Address;
}

const sameAddress = (a: Address, b: Address) => a.ip === b.ip && a.port === b.port;

export class MinimalUser {
  readonly options: Required<MinimalUserOptions>;
  readonly received: Omit<Received, 'on'>[] = [];
  readonly deliveries: Delivery[] = [];
  /** How many times the last request was sent before it was answered. */
  tries = 0;
  readonly #socket = dgram.createSocket('udp4');
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #waiting = new Set<(packet: Packet, from: Address) => void>();
  #port = 0;

  constructor(options: MinimalUserOptions) {
    this.options = {
      timeout: 300,
      retries: 3,
      ...options,
      server: { alias: 'preferred', ...options.server },
    };
  }

  get self(): UserNode {
    return { kind: 'UserNode', alias: this.options.alias, ip: LOOPBACK, port: this.#port };
  }

  /** Sends PREFERRED naming its server, unpadded; resolves with the server's +OK (registration). */
  async start(): Promise<ServerReply> {
    await new Promise<void>((resolve) => this.#socket.bind(0, LOOPBACK, resolve));
    this.#port = this.#socket.address().port;
    this.#socket.on('message', (data, rinfo) => this.#receive(data, { ip: rinfo.address, port: rinfo.port }));
    const { ip, port, alias } = this.options.server;
    const server: Server = { kind: 'Server', alias: alias ?? 'preferred', ip, port };
    const reply = await this.request({ verb: 'PREFERRED', server });
    if (reply?.status !== '+OK') throw new Error(`not registered: ${reply ? serialize(reply) : 'no answer'}`);
    return reply;
  }

  /**
   * Sends a request to the server up to N times, T apart, and resolves with the server's reply
   * echoing it, or undefined after N unanswered tries.
   */
  async request(command: UCommand): Promise<ServerReply | undefined> {
    const text = serialize({ kind: 'UserCommand', sender: this.self, command });
    const server = this.options.server;
    for (this.tries = 1; this.tries <= this.options.retries; this.tries++) {
      const answer = this.#next(
        (p, from) => p.kind === 'ServerReply' && sameAddress(from, server) && serialize(p.command) === text,
        this.options.timeout,
      );
      this.#socket.send(text, server.port, server.ip);
      const reply = await answer;
      if (reply) return reply as ServerReply;
    }
    return undefined;
  }

  /**
   * FIND (Section II.vi): sent once; the first +OK from any server within `wait` ms, or undefined.
   * No answer at all is a valid outcome: a server that cannot fulfil the request forwards it.
   */
  async find(alias: string, wait = 1500): Promise<ServerReply | undefined> {
    const text = serialize({ kind: 'UserCommand', sender: this.self, command: { verb: 'FIND', alias } });
    const answer = this.#next(
      (p) => p.kind === 'ServerReply' && p.status === '+OK' && serialize(p.command) === text,
      wait,
    );
    this.#socket.send(text, this.options.server.port, this.options.server.ip);
    return (await answer) as ServerReply | undefined;
  }

  send(alias: string, text: string): Promise<ServerReply | undefined> {
    return this.request({ verb: 'SEND', alias, message: text });
  }

  exit(): Promise<ServerReply | undefined> {
    return this.request({ verb: 'EXIT' });
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #receive(data: Buffer, from: Address): void {
    const result = safeParse(data);
    if (!result.ok) return;
    const packet = result.value;
    this.received.push({ packet, from });
    const delivery = deliveryOf(packet, this.options.alias);
    if (delivery) this.deliveries.push({ ...delivery, source: from });
    for (const w of [...this.#waiting]) w(packet, from);
  }

  #next(match: (p: Packet, from: Address) => boolean, wait: number): Promise<Packet | undefined> {
    return new Promise((resolve) => {
      const done = (p: Packet | undefined) => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        this.#waiting.delete(listener);
        resolve(p);
      };
      const listener = (p: Packet, from: Address) => {
        if (match(p, from)) done(p);
      };
      const timer = setTimeout(() => done(undefined), wait);
      this.#timers.add(timer);
      this.#waiting.add(listener);
    });
  }
}

/** A SEND to `alias` from someone else, in either shape a server may deliver it. */
function deliveryOf(packet: Packet, alias: string): { from: UserNode; text: string } | undefined {
  const command = packet.kind === 'ServerReply' && packet.status === '+OK' ? packet.command : packet;
  if (command.kind !== 'UserCommand' || command.command.verb !== 'SEND') return undefined;
  if (command.command.alias !== alias || command.sender.alias === alias) return undefined;
  return { from: command.sender, text: command.command.message };
}

export function createMinimalUser(options: MinimalUserOptions): MinimalUser {
  return new MinimalUser(options);
}
