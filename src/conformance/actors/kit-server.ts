/**
 * The kit acting as a server: DISCOVER, answers to DISCOVERs it receives (so it can become a
 * neighbour and answer liveness checks), gossip that keeps it a live neighbour, and any SCommand.
 */
import type { Command, SCommand, Server, ServerCommand, ServerReply, UserNode } from '../../index.ts';
import { serialize } from '../../index.ts';
import { type Address, type Probe, type Received, sameAddress } from '../probe.ts';
import { type RequestTiming, replyOf } from './kit-user.ts';
import { serverReply } from './server-reply.ts';

/** What a kit server does on its own. */
export interface KitServerOptions {
  /** Answer DISCOVERs: `-ERR` for its own alias, `+OK` for any other. Default true. */
  answerDiscover?: boolean;
}

/** A kit server with its own socket, optionally a member of the channel. */
export class KitServer {
  readonly probe: Probe;
  readonly alias: string;
  readonly target: Address;
  readonly channel: Address | undefined;
  readonly timing: RequestTiming;
  /** Users this server says it hosts in its KNOWNUSERS. */
  users: UserNode[] = [];
  answerDiscover: boolean;
  #gossip: ReturnType<typeof setInterval> | undefined;
  /** It answered the server's DISCOVER +OK (a greeting, a probe): it may be a neighbour. */
  #mayBeNeighbour = false;

  constructor(
    probe: Probe,
    alias: string,
    target: Address,
    channel: Address | undefined,
    timing: RequestTiming,
    options: KitServerOptions = {},
  ) {
    this.probe = probe;
    this.alias = alias;
    this.target = target;
    this.channel = channel;
    this.timing = timing;
    this.answerDiscover = options.answerDiscover ?? true;
    probe.onReceive((r) => this.#answer(r));
  }

  get self(): Server {
    return { kind: 'Server', alias: this.alias, ...this.probe.address };
  }

  packet(command: SCommand, alias = this.alias): ServerCommand {
    return { kind: 'ServerCommand', sender: { ...this.self, alias }, command };
  }

  text(command: SCommand): string {
    return serialize(this.packet(command));
  }

  /** Sends a command (or raw text) by unicast to `to`, the server under test by default. */
  send(command: SCommand | string, to: Address = this.target): void {
    this.probe.send(typeof command === 'string' ? command : this.text(command), to);
  }

  /** Matches a ServerReply from `from` echoing this server's command with `verb`. */
  isReplyTo(verb: SCommand['verb'], from: Address = this.target): (r: Received) => boolean {
    return (r) => {
      const reply = replyOf(r);
      return (
        reply !== undefined &&
        sameAddress(r.from, from) &&
        reply.command.kind === 'ServerCommand' &&
        sameAddress(reply.command.sender, this.probe.address) &&
        reply.command.command.verb === verb
      );
    };
  }

  /** Sends a command and waits for its reply, sending again up to `tries` times. */
  async request(
    command: SCommand,
    options: { to?: Address; via?: Address; timing?: Partial<RequestTiming> } = {},
  ): Promise<ServerReply | undefined> {
    const { wait, tries } = { ...this.timing, ...options.timing };
    const from = options.to ?? this.target;
    for (let attempt = 0; attempt < tries; attempt++) {
      this.send(command, options.via ?? from);
      const reply = replyOf(await this.probe.next(this.isReplyTo(command.verb, from), wait));
      if (reply) return reply;
    }
    return undefined;
  }

  /** DISCOVER of `alias` (its own by default), on the channel when there is one, else by unicast. */
  discover(alias = this.alias, viaChannel = this.channel !== undefined): Promise<ServerReply | undefined> {
    const command: SCommand = { verb: 'DISCOVER', alias };
    return this.request(command, viaChannel && this.channel ? { via: this.channel } : {});
  }

  /**
   * The server's greeting (a DISCOVER of its own alias, answered automatically). The DISCOVER is
   * sent again while it has not come: a server may hold the greeting back until an address it
   * does not know has sent enough bytes to pay for it.
   */
  async greeting(): Promise<ServerCommand | undefined> {
    const isGreeting = (d: Received) =>
      sameAddress(d.from, this.target) &&
      d.packet?.kind === 'ServerCommand' &&
      d.packet.command.verb === 'DISCOVER';
    for (let attempt = 0; attempt < this.timing.tries; attempt++) {
      const r = await this.probe.next(
        isGreeting,
        attempt === 0 ? Math.min(this.timing.wait, 200) : this.timing.wait,
      );
      if (r) return r.packet as ServerCommand;
      // Padded with trailing spaces, as the reference pads its DISCOVER probes, to pay at once.
      if (attempt + 1 < this.timing.tries)
        this.send(this.text({ verb: 'DISCOVER', alias: this.alias }).padEnd(256, ' '));
    }
    return undefined;
  }

  /**
   * Becomes the server's neighbour: DISCOVER, then its greeting answered (automatically), then
   * gossip. Resolves with the DISCOVER's reply; the server's own gossip back (if any) is waited
   * for, so that the neighbourship is settled before the case goes on.
   */
  async becomeNeighbour(): Promise<ServerReply | undefined> {
    const reply = await this.discover();
    if (reply?.status !== '+OK') return reply;
    await this.greeting();
    this.startGossip();
    // A first gossip is answered (by unicast, or on the channel) with the server's KNOWNSERVERS.
    await this.probe.next(
      (d) =>
        sameAddress(d.from, this.target) &&
        d.packet?.kind === 'ServerCommand' &&
        d.packet.command.verb === 'KNOWNSERVERS' &&
        d.packet.command.servers.some((s) => s.alias === this.alias),
      this.timing.wait * this.timing.tries,
    );
    return reply;
  }

  /** Sends KNOWNUSERS now and then every `interval` ms (at most 200 times), so it stays a live neighbour. */
  startGossip(interval = this.timing.wait): void {
    this.gossip();
    if (this.#gossip) return;
    let left = 200;
    this.#gossip = setInterval(() => {
      if (--left <= 0) this.stopGossip();
      else this.gossip();
    }, interval);
  }

  stopGossip(): void {
    clearInterval(this.#gossip);
    this.#gossip = undefined;
  }

  /** KNOWNUSERS with this server's users, by unicast to the server under test. */
  gossip(): void {
    this.send({ verb: 'KNOWNUSERS', users: this.users });
  }

  /** Answers a reply to `command` received from the server under test. */
  reply(status: '+OK' | '-ERR', command: Command, to: Address, messages: string[] = []): void {
    this.probe.send(serialize(serverReply(this.self, status, command, { messages })), to);
  }

  /**
   * Stops being a neighbour as far as the protocol lets a server (it has no verb for leaving): a
   * last KNOWNUSERS listing nobody, so the server forgets its users at once and judges its
   * silence by its gossip interval (a neighbour that never gossiped may be given far longer),
   * then silence; the closed socket answers no liveness probe, and the server drops it.
   */
  async close(): Promise<void> {
    this.stopGossip();
    if (this.#mayBeNeighbour) this.send({ verb: 'KNOWNUSERS', users: [] });
    await this.probe.close();
  }

  #answer(r: Received): void {
    if (!this.answerDiscover || r.packet?.kind !== 'ServerCommand') return;
    // Only the server under test's DISCOVERs (its greeting, liveness checks), by unicast.
    if (r.packet.command.verb !== 'DISCOVER' || r.channel || !sameAddress(r.from, this.target)) return;
    const own = r.packet.command.alias === this.alias;
    this.#mayBeNeighbour ||= !own;
    this.reply(own ? '-ERR' : '+OK', r.packet, r.packet.sender, own ? [`alias ${this.alias} is taken`] : []);
  }
}
