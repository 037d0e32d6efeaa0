/**
 * Whether a server still answers at its address: one unicast DISCOVER naming its own alias, and
 * any answer from that address within `probeInterval` means alive. Used before a claim displaces
 * a known holder of an alias, before gossip moves a user away from its known server, and before
 * a silent neighbour is dropped.
 */
import type { Server, ServerCommand, ServerReply } from '../../ast.ts';
import { PendingReplies } from '../pending-replies.ts';
import { endpointKey } from '../transport.ts';
import { PADDED } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { Inbound } from './inbound.ts';

export class Liveness {
  readonly #ctx: ServerContext;
  readonly #answers: PendingReplies<ServerReply>;
  /** Probes in flight, by address: a second question while one is out waits for the same answer. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  #stopped = false;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
    this.#answers = new PendingReplies(ctx.clock);
  }

  /**
   * Whether `server` answers a unicast DISCOVER within `probeInterval`. The probe is charged to
   * `cause`, the datagram that made us ask (credit.ts): a claim from a stranger cannot aim probes
   * at a victim for free. A probe it cannot pay for is not sent, and the server counts as alive:
   * an unpaid claim displaces nobody. Without a cause the server asks on its own initiative (a
   * neighbour fell silent), which is never metered.
   */
  isAlive(server: Server, cause?: Inbound): Promise<boolean> {
    const key = endpointKey(server);
    const inFlight = this.#inFlight.get(key);
    if (inFlight) return inFlight;
    const ctx = this.#ctx;
    const probe: ServerCommand = {
      kind: 'ServerCommand',
      sender: ctx.self,
      command: { verb: 'DISCOVER', alias: server.alias },
    };
    if (!ctx.outbox.send(probe, server, { padTo: PADDED.discover, cause })) return Promise.resolve(true);
    const answered = this.#answers.wait(key, ctx.options.probeInterval).then((reply) => {
      this.#inFlight.delete(key);
      // A stopped server takes nobody's silence as death: it acts on nothing any more.
      return reply !== undefined || this.#stopped;
    });
    this.#inFlight.set(key, answered);
    return answered;
  }

  /** An answer to a DISCOVER of ours: any answer from a probed address settles its probe. */
  onReply(reply: ServerReply): void {
    this.#answers.settle(endpointKey(reply.sender), reply);
  }

  stop(): void {
    this.#stopped = true;
    this.#answers.cancelAll();
  }
}
