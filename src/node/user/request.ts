/**
 * One request of a user node to a server: sent up to N times, T apart, until a reply echoing it
 * arrives. +OK resolves it; -ERR rejects it with REFUSED, except for a FIND the server forwarded,
 * which waits `findWait` for another server's +OK.
 */
import type { Server, ServerReply, UserCommand } from '../../ast.ts';
import type { Clock, Timer } from '../clock.ts';
import { isCutOf } from '../echo.ts';
import { PendingReplies } from '../pending-replies.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import { commandKey } from '../wire.ts';
import { RequestError } from './errors.ts';
import type { RequestOptions } from './events.ts';

export interface RequestMode extends RequestOptions {
  /** FIND: a -ERR from our server means "forwarded"; wait `findWait` for another server's +OK. */
  find?: boolean;
  /** Send to this server and no other: no failover, not counted by the failure detector. */
  to?: Server;
}

/**
 * What a request needs of the session it is made in (session.ts): where to send, and the
 * failure-detection rules, which the session owns. A request keeps only its own tries.
 */
export interface RequestSession {
  readonly clock: Clock;
  readonly timeout: number;
  readonly retries: number;
  readonly findWait: number;
  /** The server the node is on now: where a request that is not pinned goes. */
  readonly server: Server;
  /** True while the node checks or changes its server: requests not pinned wait for `resume`. */
  readonly waiting: boolean;
  /** What has been heard from the server so far, taken before a send for `triedInVain`. */
  readonly mark: number;
  /** Whether this request's silence may make the session check its server. */
  checksFor(packet: UserCommand): boolean;
  /**
   * A try sent at `mark` timed out. True when the session took it as a sign the server may have
   * failed (and so checks it, unless it is checking already or may not).
   */
  triedInVain(mark: number, checked: boolean): boolean;
  /** Every try went unanswered: true when the session checks the server and the request waits. */
  outOfTries(checked: boolean): boolean;
  /** Whether the current server lists `server` among its neighbours. */
  vouches(server: Server): boolean;
  send(packet: UserCommand, to: Endpoint): void;
  /** The server answered a try sent `roundTrip` ms before: the node's `lag`. */
  answered(roundTrip: number): void;
}

/**
 * How a waiting request goes on after a check or change of server: `checked`, the server was
 * only checked and answered; `moved`, the node moved to another server (or tried to).
 */
export type Resumption = 'checked' | 'moved';

export class Request {
  readonly #session: RequestSession;
  readonly #packet: UserCommand;
  readonly #mode: RequestMode;
  readonly #done: () => void;
  readonly #resolve: (reply: ServerReply) => void;
  readonly #reject: (error: unknown) => void;
  readonly promise: Promise<ServerReply>;
  #to: Server;
  #attempts = 0;
  /**
   * Whether this request already had the server checked (PREFERRED) for its silence on this
   * server: once the server answered that, its silence to this request is not asked about again.
   */
  #checked: boolean;
  #timer: Timer | undefined;
  /** When the latest try was sent, for the round trip of its answer. */
  #sentAt = 0;
  /** A FIND's -ERR from our server: forwarded, waiting for another server's answer. */
  #refusal: ServerReply | undefined;
  readonly #abort = () => {
    this.#settle();
    this.#reject(this.#mode.signal?.reason);
  };

  /** `done` is called once the request is settled, to take it out of the node's table. */
  constructor(session: RequestSession, packet: UserCommand, mode: RequestMode, done: () => void) {
    this.#session = session;
    this.#packet = packet;
    this.#mode = mode;
    this.#done = done;
    this.#to = mode.to ?? session.server;
    this.#checked = !session.checksFor(packet);
    let resolve!: (reply: ServerReply) => void;
    let reject!: (error: unknown) => void;
    this.promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#resolve = resolve;
    this.#reject = reject;
    mode.signal?.addEventListener('abort', this.#abort, { once: true });
  }

  /** The command this request sends. */
  get packet(): UserCommand {
    return this.#packet;
  }

  get #verb(): string {
    return this.#packet.command.verb;
  }

  /** Sends the first try. */
  start(): void {
    this.#attempt();
  }

  /** Takes a reply echoing this request; true when the request is settled by it. */
  accept(reply: ServerReply): boolean {
    const mode = this.#mode;
    // A reply counts only from where the request went (RFC 5452 9.1), but for a FIND's +OK from
    // the server that knew the alias, answering us directly (Section II.vi): one our server
    // vouches for, or any once our server has said it passed the FIND on.
    if (!sameEndpoint(reply.sender, this.#to)) {
      const forwarded = this.#refusal !== undefined || this.#session.vouches(reply.sender);
      if (!(mode.find === true && reply.status === '+OK' && forwarded)) return false;
    } else {
      this.#session.answered(this.#session.clock.now() - this.#sentAt);
    }
    if (reply.status === '+OK') {
      this.#settle();
      this.#resolve(reply);
      return true;
    }
    if (mode.find && sameEndpoint(reply.sender, this.#to) && this.#refusal === undefined) {
      // Forwarded: another server may still answer.
      this.#refusal = reply;
      this.#timer?.cancel();
      this.#timer = this.#session.clock.setTimeout(() => {
        this.fail(new RequestError('REFUSED', `${this.#verb} refused: ${reply.messages.join('; ')}`, reply));
      }, this.#session.findWait);
      return false;
    }
    if (mode.find) return false;
    this.fail(
      new RequestError('REFUSED', `${this.#verb} refused: ${reply.messages.join('; ') || '-ERR'}`, reply),
    );
    return true;
  }

  fail(error: RequestError): void {
    this.#settle();
    this.#reject(error);
  }

  /**
   * A check or change of server is over: the request goes on. `checked`: with the tries it has
   * left, and one that used them all was heard and not answered (the specification lets a server
   * leave a FIND it cannot answer unanswered): it ends. `moved`: to the server the node is on
   * now, with a fresh count of tries.
   */
  resume(where: Resumption): void {
    if (this.#mode.to || this.#refusal) return;
    this.#timer?.cancel();
    if (where === 'moved') {
      this.#attempts = 0;
      this.#checked = false;
      this.#to = this.#session.server;
    }
    this.#attempt();
  }

  #attempt(): void {
    const session = this.#session;
    const pinned = this.#mode.to !== undefined;
    // While the node checks or changes server, a request waits; `resume` sends it on afterwards.
    if (session.waiting && !pinned) return;
    if (this.#attempts >= session.retries && !pinned && session.outOfTries(this.#checked)) {
      this.#checked = true;
      return;
    }
    if (this.#attempts >= session.retries) {
      this.#giveUp();
      return;
    }
    this.#attempts++;
    const mark = session.mark;
    this.#sentAt = session.clock.now();
    session.send(this.#packet, this.#to);
    this.#timer = session.clock.setTimeout(() => {
      if (!pinned && session.triedInVain(mark, this.#checked)) this.#checked = true;
      this.#attempt();
    }, session.timeout);
  }

  #giveUp(): void {
    const { ip, port } = this.#to;
    const reason = `no reply to ${this.#verb} from ${ip}:${port} after ${this.#attempts} tries`;
    this.fail(new RequestError('TIMEOUT', reason));
  }

  #settle(): void {
    this.#timer?.cancel();
    this.#mode.signal?.removeEventListener('abort', this.#abort);
    this.#done();
  }
}

/** The requests of one user node waiting for their replies, matched by the echoed command. */
export class Requests {
  readonly #session: RequestSession;
  readonly #pending: PendingReplies<ServerReply>;

  constructor(session: RequestSession) {
    this.#session = session;
    this.#pending = new PendingReplies(session.clock);
  }

  /** Sends `packet` as a request; resolves with its +OK reply. */
  send(packet: UserCommand, mode: RequestMode): Promise<ServerReply> {
    let remove = () => {};
    const request = new Request(this.#session, packet, mode, () => remove());
    remove = this.#pending.add(commandKey(packet), request);
    request.start();
    return request.promise;
  }

  /**
   * A reply echoing one of our commands: offered to the requests waiting for it. One that echoes
   * no request verbatim may echo it cut to fit the server's datagram limit (echo.ts): it is
   * offered to the requests it is a cut of.
   */
  settle(reply: ServerReply & { command: UserCommand }): void {
    if (this.#pending.settle(commandKey(reply.command), reply)) return;
    for (const request of this.#pending.waiters() as Request[])
      if (isCutOf(reply.command, request.packet) && request.accept(reply)) return;
  }

  /** Whether any request is waiting. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** A check or change of server is over: every waiting request goes on (`Request.resume`). */
  resumeAll(where: Resumption): void {
    for (const request of this.#pending.waiters()) (request as Request).resume(where);
  }

  failAll(error: RequestError): void {
    for (const request of this.#pending.waiters()) (request as Request).fail(error);
  }
}
