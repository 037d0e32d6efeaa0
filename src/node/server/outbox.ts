/**
 * The one way out: every datagram a server sends passes here, to be encoded, paid for (credit.ts),
 * shown to the dispatch for its replay cache (replay.ts), counted and reported as `packetOut`.
 */
import type { Command, Packet, Server, Status } from '../../ast.ts';
import { isMulticast } from '../../values.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { encode, fitToDatagram, type ReplyLists, reply } from '../wire.ts';
import type { ServerCounters } from './counters.ts';
import { ReplyCredit } from './credit.ts';
import type { Inbound } from './inbound.ts';
import { type RateBudget, TokenBuckets } from './limits.ts';

export interface SendOptions {
  /** Pad the datagram with trailing spaces to this many bytes (credit.ts says why). */
  padTo?: number;
  /**
   * The datagram this one answers or was caused by: paid from its source's credit when that
   * source was unknown. Without a cause the server sends on its own initiative (gossip, probes,
   * calls home), which is never metered.
   */
  cause?: Inbound;
}

/** A reply's lists, and the datagram it answers. */
export type ReplyOptions = ReplyLists &
  Pick<SendOptions, 'cause'> & {
    /**
     * Where the reply goes instead of the address the command's sender field names: the server
     * that passed a SEND on, told what became of it (send-outcomes.ts).
     */
    to?: Endpoint;
  };

/** How many times a user's byte budget a neighbour server gets (it relays for many users). */
const NEIGHBOUR_BUDGET = 16;

export interface OutboxParts {
  transport: Transport;
  counters: ServerCounters;
  /** Bytes per second toward any one unicast address; undefined: no budget. */
  sent: RateBudget | undefined;
  /** Addresses whose budget is tracked at once. */
  addresses: number;
  /** Unknown sources whose credit is tracked at once (credit.ts). */
  credits: number;
  now(): number;
  /** This server as it names itself on the wire now. */
  self(): Server;
  /** A registered user node or a neighbour server. */
  isKnown(address: Endpoint): boolean;
  /** A neighbour server: relays carry many users' traffic, so its byte budget is larger. */
  isNeighbour(address: Endpoint): boolean;
  /** Reports a datagram being sent. */
  packetOut(packet: Packet, to: Endpoint): void;
  /**
   * A datagram is about to go back to the source of `cause`, whether or not it can be paid for:
   * the dispatch records it for the replay cache, so a retry gets this answer again.
   */
  answering(packet: Packet, cause: Inbound): void;
}

export class Outbox {
  readonly #parts: OutboxParts;
  readonly #credit: ReplyCredit;
  readonly #sent: TokenBuckets;

  constructor(parts: OutboxParts) {
    this.#parts = parts;
    this.#credit = new ReplyCredit(parts.credits);
    this.#sent = new TokenBuckets(parts.addresses);
  }

  /** A datagram arrived from `from`: what handlers answer it through. An unknown source earns credit. */
  inbound(from: Endpoint, bytes: number): Inbound {
    const known = sameEndpoint(from, this.#parts.transport.address) || this.#parts.isKnown(from);
    if (!known) this.#credit.earn(from, bytes);
    return { from, known };
  }

  /**
   * The datagram `inbound` answers counts as from `named` instead (another port of its host):
   * what it earned moves there, so one datagram never earns credit twice.
   */
  inboundAs(inbound: Inbound, named: Endpoint, bytes: number): Inbound {
    if (!inbound.known) this.#credit.unearn(inbound.from, bytes);
    return this.inbound(named, bytes);
  }

  /**
   * How many bytes may go out because of `inbound`: unlimited from a known source, else what its
   * credit pays (credit.ts). A handler can fit its answer to it rather than have it withheld.
   */
  budget(inbound: Inbound): number {
    return inbound.known ? Number.POSITIVE_INFINITY : this.#credit.balance(inbound.from);
  }

  /** False when the datagram was withheld for want of credit. */
  send(packet: Packet, to: Endpoint, options: SendOptions = {}): boolean {
    return this.#deliver(packet, encode(packet, options.padTo), to, options.cause);
  }

  /** Sends one packet to each of `targets`, encoding it once (a room's fan-out). */
  sendAll(packet: Packet, targets: Iterable<Endpoint>, options: SendOptions = {}): void {
    const data = encode(packet, options.padTo);
    for (const to of targets) this.#deliver(packet, data, to, options.cause);
  }

  /** Multicasts on every joined channel. */
  broadcast(packet: Packet, options: SendOptions = {}): void {
    this.sendAll(packet, this.#parts.transport.channels, options);
  }

  /**
   * Replies to a command at the address its sender field names; false when withheld, as `send`.
   * A reply whose lists do not fit one datagram is cut to fit, saying how much was left out; one
   * that cannot fit at all is not sent (counted in `overLimit`).
   */
  reply(command: Command, status: Status, options: ReplyOptions = {}): boolean {
    const { cause, to = command.sender, ...lists } = options;
    const packet = fitToDatagram(reply(this.#parts.self(), status, command, lists));
    if (!packet) {
      this.#parts.counters.overLimit++;
      return false;
    }
    return this.send(packet, to, { cause });
  }

  #deliver(packet: Packet, data: Uint8Array, to: Endpoint, cause: Inbound | undefined): boolean {
    const { counters, transport } = this.#parts;
    // Recorded for the replay cache first: a retry of the request gets this answer again even if
    // it could not go out now (it is then paid for, or throttled, afresh).
    if (cause && sameEndpoint(to, cause.from)) this.#parts.answering(packet, cause);
    if (cause && !this.#affordable(cause, to, data.length)) {
      counters.withheld++;
      return false;
    }
    const budget = this.#budget(to);
    if (budget && !this.#sent.take(to, budget, data.length, this.#parts.now())) {
      counters.throttled++;
      return false;
    }
    counters.sent++;
    transport.send(data, to);
    this.#parts.packetOut(packet, to);
    return true;
  }

  /** The byte budget toward `to`: none for a channel, NEIGHBOUR_BUDGET times the rest for a neighbour. */
  #budget(to: Endpoint): RateBudget | undefined {
    const budget = this.#parts.sent;
    if (!budget || isMulticast(to.ip)) return undefined;
    if (!this.#parts.isNeighbour(to)) return budget;
    return { rate: NEIGHBOUR_BUDGET * budget.rate, burst: NEIGHBOUR_BUDGET * budget.burst };
  }

  /**
   * Whether a datagram caused by `cause` may go to `to` now: always, unless its source was
   * unknown on arrival and `to` is not ours to serve; then only if that source's credit pays.
   */
  #affordable(cause: Inbound, to: Endpoint, bytes: number): boolean {
    if (cause.known || isMulticast(to.ip)) return true;
    // The source itself counts as known only if it was known when its datagram arrived.
    if (!sameEndpoint(to, cause.from) && this.#parts.isKnown(to)) return true;
    return this.#credit.spend(cause.from, bytes);
  }
}
