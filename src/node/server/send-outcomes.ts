/**
 * What became of a SEND this server passed on (Section IV has no delivery receipt, so a server
 * answers a relayed SEND with a ServerReply echoing it, sent to the server that passed it on):
 * `+OK` naming the recipient's server once that server took it, `+OK` with no Server when it is
 * not confirmed (a server further on stayed silent), `-ERR` when the recipient is not there and
 * nobody further on has it. A server that passes a SEND on waits for the answer of every server it
 * passed it to: the first `+OK` naming a server settles it as delivered; all `-ERR` as nobody;
 * silence past the wait (a spec-strict server answers nothing) as not confirmed.
 */
import type { Server, ServerReply } from '../../ast.ts';
import type { Clock, Timer } from '../clock.ts';
import { type Endpoint, endpointKey } from '../transport.ts';

export type SendOutcome =
  | { kind: 'delivered'; holder: Server }
  | { kind: 'nobody'; asked: Server[] }
  /** `silent`: the servers that did not answer; `unsure`: those that had no answer from further on. */
  | { kind: 'unconfirmed'; silent: Server[]; unsure: Server[] };

interface Pending {
  /** Servers asked that have not answered yet, by address. */
  open: Map<string, Server>;
  /** Servers that answered they are not sure (a server further on stayed silent). */
  unsure: Server[];
  asked: Server[];
  timer: Timer;
  done: (outcome: SendOutcome) => void;
}

/** A bound on the SENDs awaiting answers at once; beyond it a SEND is settled as not confirmed at once. */
const MAX_PENDING = 10_000;

export class SendOutcomes {
  readonly #clock: Clock;
  readonly #pending = new Map<string, Pending>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Whether answers about `key` are awaited. */
  has(key: string): boolean {
    return this.#pending.has(key);
  }

  /** `key` was passed on to `asked`: `done` gets the outcome once known, or after `wait` ms. */
  await(key: string, asked: Server[], wait: number, done: (outcome: SendOutcome) => void): void {
    if (this.#pending.size >= MAX_PENDING || this.#pending.has(key)) {
      done({ kind: 'unconfirmed', silent: asked, unsure: [] });
      return;
    }
    const open = new Map(asked.map((s) => [endpointKey(s), s]));
    const timer = this.#clock.setTimeout(() => this.#unconfirmed(key), wait);
    timer.unref();
    this.#pending.set(key, { open, unsure: [], asked, timer, done });
  }

  /** `from`'s answer about `key` (a ServerReply echoing the SEND). Answers from servers not asked are ignored. */
  answer(key: string, from: Endpoint, reply: ServerReply): void {
    const pending = this.#pending.get(key);
    if (!pending?.open.has(endpointKey(from))) return;
    const holder = reply.servers[0];
    if (reply.status === '+OK' && holder) {
      this.#settle(key, { kind: 'delivered', holder });
      return;
    }
    // -ERR: not there. +OK without a Server: not sure.
    const server = pending.open.get(endpointKey(from)) as Server;
    pending.open.delete(endpointKey(from));
    if (reply.status === '+OK') pending.unsure.push(server);
    if (pending.open.size > 0) return;
    if (pending.unsure.length > 0) this.#unconfirmed(key);
    else this.#settle(key, { kind: 'nobody', asked: pending.asked });
  }

  #unconfirmed(key: string): void {
    const pending = this.#pending.get(key);
    if (pending)
      this.#settle(key, { kind: 'unconfirmed', silent: [...pending.open.values()], unsure: pending.unsure });
  }

  /** Forgets every SEND still waiting, answering none (the server stops). */
  stop(): void {
    for (const pending of this.#pending.values()) pending.timer.cancel();
    this.#pending.clear();
  }

  #settle(key: string, outcome: SendOutcome): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    this.#pending.delete(key);
    pending.timer.cancel();
    pending.done(outcome);
  }
}
