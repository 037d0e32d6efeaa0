/**
 * Section II.v: a server that restarts with a state file calls its users home. It sends
 * `PREFERRED <itself>` to each neighbour it had before the crash; each answers +OK listing the
 * guests it hosts that prefer this server's alias; this server then sends each of those users
 * `SERVER <itself> PREFERRED <itself>`, and they come back (they EXIT the backup and register
 * here). Users learn this server's address from that PREFERRED, so a new port is fine.
 */
import type { PreferredCommand, Server, ServerCommand, ServerReply } from '../../ast.ts';
import { PendingReplies } from '../pending-replies.ts';
import { plantedFaults } from '../planted-faults.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { PADDED } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { Inbound } from './inbound.ts';

export type PreferredReply = ServerReply & { command: ServerCommand & { command: PreferredCommand } };

interface Answer {
  reply: PreferredReply;
  inbound: Inbound;
}

export class Recovery {
  readonly #ctx: ServerContext;
  readonly #answers: PendingReplies<Answer>;
  /** Old neighbours that answered +OK: a long guest list comes in several replies. */
  readonly #answered = new Set<string>();
  #stopped = false;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
    this.#answers = new PendingReplies(ctx.clock);
  }

  /**
   * Asks each old neighbour until it answers: `limits.recoveryTries` times, the first `probeInterval`
   * apart and each wait twice the one before (about 16 s in all with the defaults). A backup
   * that is busy for a moment must not leave its guests away from home for good; one that is
   * gone is asked a bounded number of times.
   */
  start(oldNeighbours: readonly Server[]): void {
    const self = this.#ctx.self;
    const asked = new Set<string>();
    if (plantedFaults.has('forgetNeighbours')) return;
    for (const server of oldNeighbours) {
      const key = endpointKey(server);
      if (sameEndpoint(server, self) || asked.has(key)) continue;
      asked.add(key);
      void this.#ask(server);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#answers.cancelAll();
  }

  /** An old neighbour's answer to our PREFERRED; `inbound` is the datagram it came in. */
  onReply(reply: PreferredReply, inbound: Inbound): void {
    const key = endpointKey(reply.sender);
    if (this.#answers.settle(key, { reply, inbound })) return;
    if (this.#answered.has(key) && reply.status === '+OK') this.#callHome({ reply, inbound });
  }

  async #ask(server: Server): Promise<void> {
    let wait = this.#ctx.options.probeInterval;
    const { recoveryTries } = this.#ctx.options.limits;
    for (let tries = 0; tries < recoveryTries && !this.#stopped; tries++) {
      this.#ctx.outbox.send(this.#preferred(), server, { padTo: PADDED.discover });
      const answer = await this.#answers.wait(endpointKey(server), wait);
      if (answer?.reply.status === '+OK') {
        this.#answered.add(endpointKey(server));
        this.#callHome(answer);
        return;
      }
      // Silence, or -ERR from a neighbour that has not yet taken us back as its neighbour (it
      // answers PREFERRED only to one): ask again after the rest of the wait.
      if (answer) await new Promise<void>((resolve) => this.#ctx.clock.setTimeout(resolve, wait).unref());
      wait *= 2;
    }
  }

  /** Calls home every user the answer lists. */
  #callHome({ reply, inbound }: Answer): void {
    for (const user of reply.users) {
      this.#ctx.outbox.send(this.#preferred(), user, { cause: inbound });
      this.#ctx.emit('userCalledHome', user, reply.sender);
    }
  }

  #preferred(): ServerCommand {
    const self = this.#ctx.self;
    return { kind: 'ServerCommand', sender: self, command: { verb: 'PREFERRED', server: self } };
  }
}
