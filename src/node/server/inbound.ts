/**
 * The datagram a handler is answering, passed to it explicitly (anchor: aedes's
 * `handlePubrec(client, packet, done)`): its source, whether that source was known when it
 * arrived, and how to answer. It stays valid across a handler's awaits, so what a handler sends
 * after a liveness check or a channel join is still paid for by the datagram that caused it.
 */
import type { Command, Packet, Status } from '../../ast.ts';
import type { Endpoint } from '../transport.ts';
import type { ReplyLists } from '../wire.ts';

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

/** The outbox (outbox.ts), as an Inbound sends through it. */
interface Sender {
  credit(from: Endpoint): number;
  send(packet: Packet, to: Endpoint, options: SendOptions): boolean;
  sendAll(packet: Packet, targets: Iterable<Endpoint>, options: SendOptions): void;
  reply(command: Command, status: Status, lists: ReplyLists | undefined, cause: Inbound): boolean;
}

export class Inbound {
  /** The source address of the datagram. */
  readonly from: Endpoint;
  /** A registered user node or a neighbour server when the datagram arrived (credit.ts). */
  readonly known: boolean;
  /**
   * Where the answers to the sender are recorded for the replay cache (replay.ts), for requests
   * whose identical repeat is answered from it; undefined for the others.
   */
  recorded: Packet[] | undefined;
  readonly #outbox: Sender;

  constructor(outbox: Sender, from: Endpoint, known: boolean) {
    this.#outbox = outbox;
    this.from = from;
    this.known = known;
  }

  /**
   * How many bytes may go out because of this datagram: unlimited from a known source, else what
   * its credit pays (credit.ts). A handler can fit its answer to it rather than have it withheld.
   */
  get budget(): number {
    return this.known ? Number.POSITIVE_INFINITY : this.#outbox.credit(this.from);
  }

  /** Sends because of this datagram; false when withheld for want of its source's credit. */
  send(packet: Packet, to: Endpoint, options: Omit<SendOptions, 'cause'> = {}): boolean {
    return this.#outbox.send(packet, to, { ...options, cause: this });
  }

  /** One packet to each of `targets`, encoded once (a room's fan-out), because of this datagram. */
  sendAll(packet: Packet, targets: Iterable<Endpoint>): void {
    this.#outbox.sendAll(packet, targets, { cause: this });
  }

  /** Replies to `command` at the address its sender field names; false when withheld, as `send`. */
  reply(command: Command, status: Status, lists?: ReplyLists): boolean {
    return this.#outbox.reply(command, status, lists, this);
  }
}
