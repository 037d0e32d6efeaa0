/**
 * The datagram a handler is answering, passed to it explicitly (anchor: aedes's
 * `handlePubrec(client, packet, done)`): a plain value, its source and whether that source was
 * known when it arrived. Whatever a handler sends because of it names it as the cause
 * (`ctx.outbox.send(packet, to, { cause: inbound })`), also after a liveness check or a channel
 * join, so it is still paid for by the datagram that caused it (credit.ts).
 */
import type { Endpoint } from '../transport.ts';

export interface Inbound {
  /** The source address of the datagram. */
  readonly from: Endpoint;
  /** A registered user node or a neighbour server when the datagram arrived (credit.ts). */
  readonly known: boolean;
}
