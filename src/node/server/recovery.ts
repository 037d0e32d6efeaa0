/**
 * Section II.v: a server that restarts with a state file calls its users home. It sends
 * `PREFERRED <itself>` to each neighbour it had before the crash; each answers +OK listing the
 * guests it hosts that prefer this server's alias; this server then sends each of those users
 * `SERVER <itself> PREFERRED <itself>`, and they come back (they EXIT the backup and register
 * here). Users learn this server's address from that PREFERRED, so a new port is fine.
 */
import type { PreferredCommand, Server, ServerCommand, ServerReply } from '../../ast.ts';
import { endpointKey } from '../transport.ts';
import { PADDED } from '../wire.ts';
import type { ServerContext } from './context.ts';

/** How many times an old neighbour is asked who prefers this server. */
const RECOVERY_TRIES = 6;

export class Recovery {
  readonly #ctx: ServerContext;
  /** Old neighbours that have not answered yet. */
  readonly #waiting = new Map<string, Server>();
  #timer: NodeJS.Timeout | undefined;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
  }

  /**
   * Asks each old neighbour until it answers: RECOVERY_TRIES times, the first `probeInterval`
   * apart and each wait twice the one before (about 16 s in all with the defaults). A backup
   * that is busy for a moment must not leave its guests away from home for good; one that is
   * gone is asked a bounded number of times.
   */
  start(oldNeighbours: readonly Server[]): void {
    const self = this.#ctx.self;
    for (const server of oldNeighbours) {
      if (endpointKey(server) !== endpointKey(self)) this.#waiting.set(endpointKey(server), server);
    }
    let sent = 0;
    let wait = this.#ctx.options.probeInterval;
    const ask = () => {
      if (this.#waiting.size === 0 || sent >= RECOVERY_TRIES) return;
      sent++;
      for (const server of this.#waiting.values())
        this.#ctx.send(this.#preferred(), server, { padTo: PADDED.discover });
      this.#timer = setTimeout(ask, wait);
      wait *= 2;
    };
    ask();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#waiting.clear();
  }

  /** An old neighbour's answer: call home every user it lists. */
  onReply(reply: ServerReply & { command: ServerCommand & { command: PreferredCommand } }): void {
    if (!this.#waiting.delete(endpointKey(reply.sender)) || reply.status !== '+OK') return;
    for (const user of reply.users) {
      this.#ctx.send(this.#preferred(), user);
      this.#ctx.emit('userCalledHome', user, reply.sender);
    }
  }

  #preferred(): ServerCommand {
    const self = this.#ctx.self;
    return { kind: 'ServerCommand', sender: self, command: { verb: 'PREFERRED', server: self } };
  }
}
