/**
 * One request of a user node to a server: sent up to N times, T apart, until a reply echoing it
 * arrives. +OK resolves it; -ERR rejects it with REFUSED, except for a FIND the server forwarded,
 * which waits `findWait` for another server's +OK.
 */
import type { Server, ServerReply, UserCommand } from '../../ast.ts';
import type { Clock, Timer } from '../clock.ts';
import { PendingReplies } from '../pending-replies.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import { commandKey } from '../wire.ts';
import { RequestError } from './errors.ts';
import type { RequestOptions } from './events.ts';
import type { ServerLiveness } from './liveness.ts';

export interface RequestMode extends RequestOptions {
  /** FIND: a -ERR from our server means "forwarded"; wait `findWait` for another server's +OK. */
  find?: boolean;
  /** Send to this server and no other: no failover, not counted by the failure detector. */
  to?: Server;
}

/** Where the node is registered (failover.ts keeps it). */
export interface Placement {
  /** The server the node is registered with now. */
  readonly server: Server;
  /** True while the node changes server: requests wait, and are restarted afterwards. */
  readonly switching: boolean;
  /** True once the server failed and no backup took the node. */
  readonly lost: boolean;
  /**
   * The current server may have failed (a try got nothing back): confirm with a request every
   * server must answer, and fail over only if that goes unanswered too.
   */
  checkServer(): void;
  /** Whether the current server lists `server` among its neighbours. */
  vouches(server: Server): boolean;
}

/** What a request needs of the user node that makes it. */
export interface RequestHost {
  readonly clock: Clock;
  readonly timeout: number;
  readonly retries: number;
  readonly findWait: number;
  readonly liveness: ServerLiveness;
  readonly placement: Placement;
  send(packet: UserCommand, to: Endpoint): void;
}

export class Request {
  readonly #host: RequestHost;
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
  #checked = false;
  #timer: Timer | undefined;
  /** A FIND's -ERR from our server: forwarded, waiting for another server's answer. */
  #refusal: ServerReply | undefined;
  readonly #abort = () => {
    this.#settle();
    this.#reject(this.#mode.signal?.reason);
  };

  /** `done` is called once the request is settled, to take it out of the node's table. */
  constructor(host: RequestHost, packet: UserCommand, mode: RequestMode, done: () => void) {
    this.#host = host;
    this.#packet = packet;
    this.#mode = mode;
    this.#done = done;
    this.#to = mode.to ?? host.placement.server;
    // A node leaving its server does not check on it: the check's PREFERRED would register it
    // again if the EXIT had been taken and only its answer was slow.
    this.#checked = packet.command.verb === 'EXIT';
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
      const forwarded = this.#refusal !== undefined || this.#host.placement.vouches(reply.sender);
      if (!(mode.find === true && reply.status === '+OK' && forwarded)) return false;
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
      this.#timer = this.#host.clock.setTimeout(() => {
        this.fail(new RequestError('REFUSED', `${this.#verb} refused: ${reply.messages.join('; ')}`, reply));
      }, this.#host.findWait);
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
   * A check or change of server is over: the request goes on. `confirmed`: the server was only
   * checked and answered, so the request goes on with the tries it has left, and one that used
   * them all was heard and not answered (the specification lets a server leave a FIND it cannot
   * answer unanswered): it ends. Otherwise the node moved: the request goes to the new server
   * with a fresh count of tries.
   */
  restart(confirmed: boolean): void {
    if (this.#mode.to || this.#refusal) return;
    this.#timer?.cancel();
    if (!confirmed) {
      this.#attempts = 0;
      this.#checked = false;
      this.#to = this.#host.placement.server;
    }
    this.#attempt();
  }

  /** Has the server checked for this request's silence, once per server. */
  #check(): void {
    this.#checked = true;
    this.#host.placement.checkServer();
  }

  #attempt(): void {
    const host = this.#host;
    const placement = host.placement;
    const pinned = this.#mode.to !== undefined;
    // While the node changes server, a request waits; `restart` sends it on afterwards.
    if (placement.switching && !pinned) return;
    if (
      this.#attempts >= host.retries &&
      !pinned &&
      !this.#checked &&
      host.liveness.silent &&
      !placement.lost
    ) {
      // Every try went unanswered and the server has said nothing since the last: it may have
      // failed even if an earlier datagram kept the count of silent sends below N.
      this.#check();
      return;
    }
    if (this.#attempts >= host.retries) {
      this.#giveUp();
      return;
    }
    this.#attempts++;
    const mark = host.liveness.mark;
    host.send(this.#packet, this.#to);
    this.#timer = host.clock.setTimeout(() => {
      const counts = !pinned && !placement.switching && !placement.lost;
      // N silent sends in a row (of any requests) are suspicion enough; so is this request's
      // first try going without any datagram back: the check (PREFERRED, N tries) runs while
      // requests wait, so a dead server is left about (N + 1) x T after the first silence.
      const failed = counts && host.liveness.unansweredSince(mark);
      if (failed || (counts && !this.#checked && !host.liveness.heardSince(mark))) this.#check();
      this.#attempt();
    }, host.timeout);
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
  readonly #host: RequestHost;
  readonly #pending: PendingReplies<ServerReply>;

  constructor(host: RequestHost) {
    this.#host = host;
    this.#pending = new PendingReplies(host.clock);
  }

  /** Sends `packet` as a request; resolves with its +OK reply. */
  send(packet: UserCommand, mode: RequestMode): Promise<ServerReply> {
    let remove = () => {};
    const request = new Request(this.#host, packet, mode, () => remove());
    remove = this.#pending.add(commandKey(packet), request);
    request.start();
    return request.promise;
  }

  /** A reply echoing one of our commands: offered to the requests waiting for it. */
  settle(reply: ServerReply & { command: UserCommand }): void {
    this.#pending.settle(commandKey(reply.command), reply);
  }

  /** Whether any request is waiting. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** A check or change of server is over: every waiting request goes on (`Request.restart`). */
  restartAll(confirmed: boolean): void {
    for (const request of this.#pending.waiters()) (request as Request).restart(confirmed);
  }

  failAll(error: RequestError): void {
    for (const request of this.#pending.waiters()) (request as Request).fail(error);
  }
}
