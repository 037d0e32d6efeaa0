/** What a server case is given: the target's address, the channel, timings, and kit actors to create. */

import { KitServer, type KitServerOptions } from './actors/kit-server.ts';
import { KitUser, type RequestTiming } from './actors/kit-user.ts';
import { type Address, Probe } from './probe.ts';
import type { Transcript } from './transcript.ts';

/** How the server under test is reached and how long the kit waits for it. */
export interface ServerTargetOptions {
  /** The server's unicast address. */
  target: Address;
  /** A multicast channel the server is on; Section II cases that need it are `Missing` without it. */
  channel?: Address;
  /** The server's gossip interval in ms (how long to wait for periodic gossip). Default 5000. */
  gossipInterval?: number;
  /** How long to wait for each reply before sending again, in ms. Default 500. */
  wait?: number;
  /** How often to send a request at most. Default 3. */
  tries?: number;
}

/** Given to each server case; everything it opens is closed when the case ends. */
export class ServerCaseContext {
  readonly target: Address;
  readonly channel: Address | undefined;
  readonly gossipInterval: number;
  readonly timing: RequestTiming;
  readonly transcript: Transcript;
  readonly observed: string[] = [];
  readonly #tag: string;
  readonly #open: { close(): Promise<void> }[] = [];
  /** Closed first, while the kit servers still answer: each says EXIT. */
  readonly #users: KitUser[] = [];
  /** Closed next, before their sockets: each sends its last gossip. */
  readonly #servers: KitServer[] = [];

  constructor(options: ServerTargetOptions, transcript: Transcript, tag: string) {
    this.target = options.target;
    this.channel = options.channel;
    this.gossipInterval = options.gossipInterval ?? 5000;
    this.timing = { wait: options.wait ?? 500, tries: options.tries ?? 3 };
    this.transcript = transcript;
    this.#tag = tag;
  }

  /** An alias of this case only: `name` followed by the case's tag (letters and digits). */
  alias(name: string): string {
    return `${name}${this.#tag}`;
  }

  /** Notes what was observed, for the report. */
  note(text: string): void {
    this.observed.push(text);
  }

  /** A kit user node on a socket of its own (below port 10000 with `lowPort`). */
  async user(name: string, options: { lowPort?: boolean } = {}): Promise<KitUser> {
    const alias = this.alias(name);
    const probe = new Probe(alias, this.transcript);
    this.#open.push(probe);
    await (options.lowPort ? probe.openLowPort() : probe.open());
    const user = new KitUser(probe, alias, this.target, this.timing);
    this.#users.push(user);
    return user;
  }

  /** A kit user registered with the server; fails the case when registration is refused. */
  async registered(name: string): Promise<KitUser> {
    const user = await this.user(name);
    const reply = await user.register();
    if (reply?.status !== '+OK')
      throw new Error(`could not register ${user.alias}: ${reply ? reply.messages.join(' ') : 'no reply'}`);
    return user;
  }

  /**
   * A kit server on a socket of its own, a member of the channel when there is one. With
   * `portAbove`, its port is higher than that one: a claim from a higher address never wins a
   * tie-break of simultaneous claims (the lower address keeps the alias).
   */
  async server(
    name: string,
    options: KitServerOptions & { channel?: boolean; portAbove?: number } = {},
  ): Promise<KitServer> {
    const alias = this.alias(name);
    const probe = new Probe(alias, this.transcript);
    await (options.portAbove === undefined ? probe.open() : probe.openAbove(options.portAbove));
    this.#open.push(probe);
    const channel = options.channel === false ? undefined : this.channel;
    if (channel) await probe.join(channel);
    const server = new KitServer(probe, alias, this.target, channel, this.timing, options);
    this.#servers.push(server);
    return server;
  }

  /** A kit server that is already the server's neighbour (by unicast only with `channel: false`). */
  async neighbour(name: string, options: { channel?: boolean } = {}): Promise<KitServer> {
    const server = await this.server(name, options);
    const reply = await server.becomeNeighbour();
    if (reply?.status !== '+OK')
      throw new Error(
        `${server.alias} could not become a neighbour: ${reply?.status ?? 'no reply to DISCOVER'}`,
      );
    return server;
  }

  /**
   * The one channel the JOINCHANNEL cases invite the server to (239.255.x.y, on 127.0.0.1 only):
   * derived from the server's address, so every run against a server reuses it and a run
   * leaves the server on at most this one channel more.
   */
  kitChannel(): Address {
    return kitChannelOf(this.target);
  }

  /** Waits `ms`: only where the check is that nothing happens. */
  quiet(ms = this.timing.wait): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async close(): Promise<void> {
    await Promise.all(this.#users.splice(0).map((u) => u.close()));
    await Promise.all(this.#servers.splice(0).map((s) => s.close()));
    await Promise.all(this.#open.splice(0).map((o) => o.close()));
  }
}

/** The kit's channel for a server at `target`: FNV-1a of its address, spread over 239.255.0.0/16. */
export function kitChannelOf(target: Address): Address {
  let hash = 0x811c9dc5;
  for (const char of `${target.ip}:${target.port}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  hash >>>= 0;
  return { ip: `239.255.${(hash >>> 8) & 255}.${1 + (hash % 254)}`, port: 20000 + ((hash >>> 16) % 40000) };
}
