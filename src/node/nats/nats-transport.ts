/**
 * Transport over NATS: a multicast channel is a subject, a unicast endpoint is a subject, and
 * every subject ends with the sender's endpoint (subjects.ts), where NATS permissions enforce it.
 * A server can keep a UDP side for the user nodes of its LAN: its endpoint is then the UDP
 * socket's address, the same on both sides, and a datagram goes by UDP to whoever was heard by
 * UDP, by NATS to whoever was heard on NATS, and both ways to an endpoint heard on neither.
 *
 * The NATS client is imported when a transport opens, so the codec and UDP-only nodes never load it.
 */
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import type { NatsConnection, Status, Subscription } from '@nats-io/transport-node';
import { isMulticast } from '../../values.ts';
import { BoundedMap } from '../bounded-map.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Endpoint, endpointKey, LOOPBACK, type Transport, type TransportEvents } from '../transport.ts';
import { type UdpTransportOptions, udpTransport } from '../udp.ts';
import { RecentSends } from './recent-sends.ts';
import { DEFAULT_NATS_SETTINGS, type NatsConnectionSettings } from './settings.ts';
import {
  channelSubject,
  channelSubscription,
  inboxSubscription,
  subjectSender,
  unicastSubject,
} from './subjects.ts';

/** Options of {@link natsTransport}. */
export interface NatsTransportOptions {
  /** NATS server URLs, e.g. `['nats://127.0.0.1:4222']`: one cluster's nodes, tried in order. */
  servers: string[];
  /** The node's nkey seed (the text of a `.nk` file written by `chat-proto nats-auth`), if NATS asks for one. */
  nkeySeed?: string;
  /**
   * The node's endpoint: with `lan`, the UDP address bound (port 0 picks a free one); without,
   * only a name on NATS, so the port must be given (1-65535). Host default `127.0.0.1`.
   */
  host?: string;
  /** See `host`. */
  port?: number;
  /**
   * Also serve user nodes by UDP at `host:port` (a server's LAN side). Multicast is never sent or
   * joined either way: channels are NATS subjects. Default false.
   */
  lan?: boolean | Omit<UdpTransportOptions, 'host' | 'port'>;
  /** Connection settings over {@link DEFAULT_NATS_SETTINGS}. */
  settings?: Partial<NatsConnectionSettings>;
  /** Client name shown by the NATS server's monitoring. Default `chat-proto <endpoint>`. */
  name?: string;
  /** What times the resend window after a reconnect. Default the system clock. */
  clock?: Clock;
}

/** Endpoints remembered per side: enough for every user and server one node talks to. */
const PEERS = 4096;
/** Messages kept to publish again after a reconnect: a second of a busy server's traffic. */
const RESEND_LIMIT = 4096;

/**
 * A {@link Transport} over NATS, optionally with a UDP side for a server's LAN users.
 * `open()` rejects, naming the endpoint, if NATS refuses this node its endpoint's subjects.
 * @example
 * const transport = natsTransport({ servers: ['nats://127.0.0.1:4222'], port: 8000, lan: true });
 * const server = createServer({ alias: 'alpha', transport });
 */
export function natsTransport(options: NatsTransportOptions): NatsTransport {
  return new NatsTransportImpl(options);
}

/** A {@link Transport} over NATS, which also says which way it sends to an endpoint. */
export interface NatsTransport extends Transport {
  /**
   * Which way a datagram to `to` goes now: a channel, or an endpoint heard on NATS, by NATS; an
   * endpoint heard by UDP by UDP; one heard on neither both ways (a node on NATS that has not
   * spoken to us yet, or a user on a LAN). Without a UDP side, always NATS.
   */
  wayTo(to: Endpoint): 'nats' | 'udp' | 'both';
}

class NatsTransportImpl extends EventEmitter<TransportEvents> implements NatsTransport {
  readonly #options: NatsTransportOptions;
  readonly #settings: NatsConnectionSettings;
  readonly #udp: Transport | undefined;
  #opening: Promise<Endpoint> | undefined;
  #connection: NatsConnection | undefined;
  #address: Endpoint | undefined;
  readonly #channels = new Map<string, { channel: Endpoint; subscription: Subscription }>();
  /** Endpoints heard on NATS: they are answered there. */
  readonly #natsPeers = new BoundedMap<string, true>(PEERS);
  /** Endpoints heard by UDP: they are answered there. */
  readonly #udpPeers = new BoundedMap<string, true>(PEERS);
  /** Published lately: published again after a reconnect (recent-sends.ts). */
  readonly #recent: RecentSends;
  #closed = false;

  readonly #clock: Clock;
  constructor(options: NatsTransportOptions) {
    super();
    this.#clock = options.clock ?? systemClock;
    if (!Array.isArray(options.servers) || options.servers.length === 0)
      throw new TypeError('natsTransport: servers must name at least one NATS URL');
    const host = options.host ?? LOOPBACK;
    if (!isIPv4(host)) throw new TypeError(`natsTransport: host ${host} is not an IPv4 address`);
    const port = options.port ?? 0;
    const minPort = options.lan ? 0 : 1;
    if (!Number.isInteger(port) || port < minPort || port > 65535)
      throw new RangeError(
        `natsTransport: port must be an integer ${minPort}-65535${options.lan ? '' : ' (without lan the endpoint is a name: 0 picks nothing)'}, got ${port}`,
      );
    this.#options = options;
    this.#settings = { ...DEFAULT_NATS_SETTINGS, ...options.settings };
    this.#recent = new RecentSends(this.#settings.resendWindow, RESEND_LIMIT);
    if (options.lan) {
      const lan = options.lan === true ? {} : options.lan;
      this.#udp = udpTransport({ ...lan, host, port });
      this.#udp.on('datagram', (data, from) => {
        const key = endpointKey(from);
        // An endpoint that speaks on NATS proves it there: the same address by UDP is forged.
        if (this.#natsPeers.has(key)) return;
        this.#udpPeers.set(key, true);
        this.emit('datagram', data, from);
      });
      this.#udp.on('error', (error) => this.#report(error));
    }
  }

  get address(): Endpoint {
    if (!this.#address) throw new Error('transport is not open');
    return this.#address;
  }

  get channels(): readonly Endpoint[] {
    return [...this.#channels.values()].map((c) => c.channel);
  }

  open(): Promise<Endpoint> {
    if (this.#closed) return Promise.reject(new Error('transport is closed'));
    this.#opening ??= this.#open().catch(async (error: unknown) => {
      this.#opening = undefined;
      await this.#shut();
      throw error;
    });
    return this.#opening;
  }

  async #open(): Promise<Endpoint> {
    const self = this.#udp
      ? await this.#udp.open()
      : { ip: this.#options.host ?? LOOPBACK, port: this.#options.port as number };
    const nats = await import('@nats-io/transport-node');
    const servers = this.#options.servers.join(', ');
    const seed = this.#options.nkeySeed?.trim();
    let connection: NatsConnection;
    try {
      connection = await nats.connect({
        servers: this.#options.servers,
        name: this.#options.name ?? `chat-proto ${endpointKey(self)}`,
        ...(seed ? { authenticator: nats.nkeyAuthenticator(new TextEncoder().encode(seed)) } : {}),
        maxReconnectAttempts: -1,
        noRandomize: true,
        reconnectTimeWait: this.#settings.reconnectTimeWait,
        reconnectJitter: this.#settings.reconnectJitter,
        pingInterval: this.#settings.pingInterval,
        maxPingOut: this.#settings.maxPingOut,
        timeout: this.#settings.timeout,
      });
    } catch (error) {
      throw new Error(`cannot connect to NATS at ${servers}: ${(error as Error).message}`);
    }
    this.#connection = connection;
    if (this.#closed) throw new Error('transport closed while connecting to NATS');
    // NATS reports a refused subscription to it, and a refused publish only through status().
    const refusals: string[] = [];
    void this.#watch(connection, refusals);
    const inbox = connection.subscribe(inboxSubscription(self), {
      callback: (error, msg) => {
        if (!error) this.#deliver(msg.subject, msg.data);
      },
    });
    await connection.flush();
    const refused = (await Promise.race([inbox.closed, Promise.resolve(undefined)])) ?? refusals[0];
    if (refused !== undefined) {
      const why = refused instanceof Error ? refused.message : refused;
      throw new Error(
        `NATS refuses endpoint ${endpointKey(self)} to this node's key (${why}): a node may only speak as the endpoint its key was made for`,
      );
    }
    this.#address = self;
    return self;
  }

  async #watch(connection: NatsConnection, refusals: string[]): Promise<void> {
    for await (const status of connection.status() as AsyncIterable<Status>) {
      if (status.type === 'error') {
        // While opening, a refusal is the reason open() rejects, said once there.
        if (this.#address) this.#report(new Error(`NATS: ${status.error.message}`));
        else refusals.push(status.error.message);
      } else if (status.type === 'disconnect') {
        this.#recent.lost(this.#clock.now());
        this.#report(new Error(`NATS: lost ${status.server}; reconnecting`));
      } else if (status.type === 'reconnect') {
        for (const { subject, data } of this.#recent.takeSinceLoss(this.#clock.now()))
          this.#publish(connection, subject, data);
      }
    }
    const closedWith = await connection.closed();
    if (closedWith && !this.#closed) this.#report(new Error(`NATS connection closed: ${closedWith.message}`));
  }

  #deliver(subject: string, data: Uint8Array): void {
    const from = subjectSender(subject);
    if (!from) {
      this.#report(new Error(`NATS message on ${subject} names no sender endpoint; dropped`));
      return;
    }
    this.#natsPeers.set(endpointKey(from), true);
    this.emit('datagram', data, from);
  }

  async join(channel: Endpoint): Promise<void> {
    if (!isMulticast(channel.ip)) throw new Error(`${channel.ip} is not a multicast address (224.0.0.0/4)`);
    const connection = this.#connection;
    if (this.#closed || !connection) return;
    const key = endpointKey(channel);
    if (this.#channels.has(key)) return;
    const subscription = connection.subscribe(channelSubscription(channel), {
      callback: (error, msg) => {
        if (!error) this.#deliver(msg.subject, msg.data);
      },
    });
    this.#channels.set(key, { channel: { ...channel }, subscription });
    await connection.flush();
    const refused = await Promise.race([subscription.closed, Promise.resolve(undefined)]);
    if (refused instanceof Error) {
      this.#channels.delete(key);
      throw new Error(
        `NATS refuses channel ${key} (subject ${channelSubscription(channel)}): ${refused.message}`,
      );
    }
  }

  async leave(channel: Endpoint): Promise<void> {
    const key = endpointKey(channel);
    const joined = this.#channels.get(key);
    if (!joined) return;
    this.#channels.delete(key);
    joined.subscription.unsubscribe();
  }

  wayTo(to: Endpoint): 'nats' | 'udp' | 'both' {
    const key = endpointKey(to);
    if (!this.#udp || isMulticast(to.ip) || this.#natsPeers.has(key)) return 'nats';
    return this.#udpPeers.has(key) ? 'udp' : 'both';
  }

  send(data: Uint8Array, to: Endpoint): void {
    const connection = this.#connection;
    const self = this.#address;
    if (this.#closed || !connection || !self) {
      if (!this.#closed) this.#report(new Error(`sending to ${endpointKey(to)}: transport is not open`));
      return;
    }
    const way = this.wayTo(to);
    if (way !== 'nats') this.#udp?.send(data, to);
    if (way === 'udp') return;
    const subject = isMulticast(to.ip) ? channelSubject(to, self) : unicastSubject(to, self);
    this.#publish(connection, subject, data);
  }

  #publish(connection: NatsConnection, subject: string, data: Uint8Array): void {
    try {
      connection.publish(subject, data);
      this.#recent.add(subject, data, this.#clock.now());
    } catch (error) {
      this.#report(new Error(`publishing to ${subject}: ${(error as Error).message}`));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opening?.catch(() => {});
    await this.#shut();
  }

  async #shut(): Promise<void> {
    this.#channels.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    await Promise.all([connection?.close().catch(() => {}), this.#udp?.close()]);
  }

  #report(error: Error): void {
    // An unheard 'error' would throw: the transport survives these, so they become warnings.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error);
  }
}
