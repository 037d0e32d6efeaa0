/**
 * The user node's session: one state (session-table.ts says which events are allowed where) and
 * the one place that decides when requests wait, go on or fail.
 *
 * Fault discovery (Section II.iii): a request unanswered after `timeout` ms is sent again, up to
 * `retries` (N) times. When N sends in a row to the server got no datagram back at all, or one
 * request's try got nothing back, or the keep-alive comes due on an idle node, the server is
 * suspected (`serverSilent`): the node asks it PREFERRED, which every server answers, and only if
 * that goes unanswered too (`serverFailed`) tries its neighbours (`backupTook`, `noBackup`).
 * Recovery (Section II.v): a PREFERRED from the preferred server itself, vouched for by our
 * server, brings the node home (`calledHome`, `homeTook`, `homeSilent`). While the node checks or
 * changes server, requests wait; afterwards they go on (`Request.resume`) or fail (NO_SERVER).
 */
import type { EventEmitter } from 'node:events';
import type { Server, ServerCommand, ServerReply, UCommand, UserCommand, UserNode } from '../../ast.ts';
import type { Clock } from '../clock.ts';
import { plantedFaults } from '../planted-faults.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import { reportUnheard } from '../unheard.ts';
import { closedError, noServerError } from './errors.ts';
import type { RequestOptions, UserEvents } from './events.ts';
import { type ChangeRequests, checkServer, failOver } from './failover.ts';
import { ServerLiveness } from './liveness.ts';
import { Placement } from './placement.ts';
import { Rejoin, rejoinServers } from './rejoin.ts';
import { type RequestMode, type RequestSession, Requests } from './request.ts';
import { CHANGING, nextState, type SessionEvent, type SessionStateName } from './session-table.ts';

/** What the session needs of the user node it runs. */
export interface SessionHost {
  readonly clock: Clock;
  readonly timeout: number;
  readonly retries: number;
  readonly findWait: number;
  readonly keepAlive: number;
  /** Where `serverChanged`, `serverLost`, `servers`, `state` and warnings are reported. */
  readonly events: EventEmitter<UserEvents>;
  /** The node as it names itself on the wire now. */
  self(): UserNode;
  send(packet: UserCommand, to: Endpoint): void;
}

/** What a check or change leaves to be done once it is over: the node left, or was called home. */
interface Afterwards {
  exit?: boolean;
  homeCall?: Server;
}

/** How a check or change ended: the event that ends it, with what it brings. */
type Ending =
  | { event: 'serverAnswered' }
  | { event: 'backupTook' | 'homeTook' | 'serverFound'; answer: ServerReply; from: Server }
  | { event: 'homeSilent' | 'noBackup' };

export class Session implements RequestSession {
  readonly #host: SessionHost;
  readonly #placement: Placement;
  readonly #liveness: ServerLiveness;
  readonly #requests: Requests;
  /** The requests of a check or change: to one server each. */
  readonly #changeRequests: ChangeRequests;
  #state: SessionStateName = 'unregistered';
  #afterwards: Afterwards = {};
  #lag: number | undefined;
  /** When a lost node asks for a server again (rejoin.ts). */
  readonly #rejoin: Rejoin;

  constructor(host: SessionHost, home: Server) {
    this.#host = host;
    this.#placement = new Placement(home);
    this.#liveness = new ServerLiveness(host.clock, host.retries, host.keepAlive);
    this.#requests = new Requests(this);
    const session = this;
    this.#changeRequests = {
      preferred: (to) => this.request({ verb: 'PREFERRED', server: this.#placement.preferred }, { to }),
      get current() {
        return session.#state !== 'closed';
      },
    };
    this.#rejoin = new Rejoin(
      host.clock,
      host.timeout,
      () => this.#state === 'lost',
      (round, stillLost) => this.#change(this.#rejoinRound(round, stillLost)),
    );
  }

  get state(): SessionStateName {
    return this.#state;
  }

  get server(): Server {
    return this.#placement.server;
  }

  get preferred(): Server {
    return this.#placement.preferred;
  }

  get backups(): readonly Server[] {
    return this.#placement.backups;
  }

  /** The round trip, in ms, of the latest request a server answered; undefined before any. */
  get lag(): number | undefined {
    return this.#lag;
  }

  // --- The node's requests ---

  /** Sends a command to the server and resolves with its +OK reply; -ERR rejects with REFUSED. */
  request(command: UCommand, mode: RequestMode = {}): Promise<ServerReply> {
    if (this.#state === 'closed') return Promise.reject(closedError());
    if (mode.signal?.aborted) return Promise.reject(mode.signal.reason);
    if (this.#state === 'lost' && !mode.to) return Promise.reject(noServerError(this.#placement.server));
    return this.#requests.send({ kind: 'UserCommand', sender: this.#host.self(), command }, mode);
  }

  /** A reply echoing one of our commands. */
  settle(reply: ServerReply & { command: UserCommand }): void {
    this.#requests.settle(reply);
  }

  // --- Lifecycle: start(), exit(), close() ---

  /** `start()`: registers (PREFERRED) with the server the node is on; resolves with it. */
  async register(options: RequestOptions): Promise<Server> {
    const home = this.#placement.server;
    const answer = await this.request({ verb: 'PREFERRED', server: home }, { ...options, to: home });
    if (!this.#go('registered')) throw new Error(`cannot register while the session is ${this.#state}`);
    this.#placement.registered(answer);
    this.#liveness.start(() => this.#keepAliveDue());
    return this.#placement.server;
  }

  /** EXIT was sent (answered or not): the server is no longer checked on. */
  exited(): void {
    if (CHANGING.includes(this.#state)) this.#afterwards.exit = true;
    else this.#go('exited');
  }

  /** `close()`: pending requests fail with CLOSED. False when already closed. */
  close(): boolean {
    if (!this.#go('closed')) return false;
    this.#liveness.stop();
    this.#rejoin.stop();
    this.#requests.failAll(closedError());
    return true;
  }

  // --- The wire: what the node sent and heard ---

  /** The node sent `to` a datagram. */
  sentTo(to: Endpoint): void {
    if (sameEndpoint(to, this.#placement.server)) this.#liveness.sent();
  }

  /** A datagram came from `from`. */
  heardFrom(from: Endpoint): void {
    if (sameEndpoint(from, this.#placement.server)) this.#liveness.heard();
  }

  /**
   * A server command from the address it names. KNOWNSERVERS from our server (Section II.iv): its
   * neighbours, our failover list, reported as `servers`. PREFERRED from a server of our preferred
   * server's alias, naming itself, while we are elsewhere (Section II.v): it is back, so go home,
   * but only once our current server vouches for it (a round trip to an address already
   * trusted): its KNOWNSERVERS lists that alias at that address. A call from anywhere else is one
   * datagram's word.
   */
  serverCommand(packet: ServerCommand): void {
    const placement = this.#placement;
    const command = packet.command;
    if (command.verb === 'KNOWNSERVERS' && sameEndpoint(packet.sender, placement.server)) {
      placement.setBackups(command.servers);
      const call = placement.takeVouchedCall();
      if (call) this.#callHome(call);
      this.#host.events.emit('servers', [...placement.backups]);
      return;
    }
    if (
      command.verb === 'PREFERRED' &&
      this.#state !== 'lost' &&
      placement.isCallHome(packet.sender, command.server)
    ) {
      if (placement.vouches(packet.sender) || plantedFaults.has('acceptAnyCallHome'))
        this.#callHome(packet.sender);
      else placement.holdCall(packet.sender);
    }
  }

  // --- What requests ask of the session (RequestSession) ---

  get clock(): Clock {
    return this.#host.clock;
  }

  get timeout(): number {
    return this.#host.timeout;
  }

  get retries(): number {
    return this.#host.retries;
  }

  get findWait(): number {
    return this.#host.findWait;
  }

  get waiting(): boolean {
    return CHANGING.includes(this.#state);
  }

  get mark(): number {
    return this.#liveness.mark;
  }

  /**
   * A node leaving its server does not check on it: the check's PREFERRED would register it
   * again if the EXIT had been taken and only its answer was slow.
   */
  checksFor(packet: UserCommand): boolean {
    return packet.command.verb !== 'EXIT';
  }

  /**
   * N silent sends in a row (of any requests) are suspicion enough; so is a request's try going
   * without any datagram back (once per request and server): the check (PREFERRED, N tries) runs
   * while requests wait, so a dead server is left about (N + 1) x T after the first silence.
   */
  triedInVain(mark: number, checked: boolean): boolean {
    // Counted only while the node stays on its server: not during a check or change, nor once
    // lost. After EXIT (unregistered) silence is counted, but `serverSilent` is refused there.
    if (this.#state !== 'registered' && this.#state !== 'unregistered') return false;
    const failed = this.#liveness.unansweredSince(mark);
    if (!failed && (checked || this.#liveness.heardSince(mark))) return false;
    this.#serverSilent();
    return true;
  }

  /**
   * Every try of a request went unanswered and the server has said nothing since some send: it
   * may have failed even if an earlier datagram kept the count of silent sends below N.
   */
  outOfTries(checked: boolean): boolean {
    return !checked && this.#liveness.silent && this.#serverSilent();
  }

  vouches(server: Server): boolean {
    return this.#placement.vouches(server);
  }

  send(packet: UserCommand, to: Endpoint): void {
    this.#host.send(packet, to);
  }

  answered(roundTrip: number): void {
    this.#lag = roundTrip;
  }

  // --- Transitions ---

  /** Moves the state by `event`; false (nothing changes) when `event` is not allowed now. */
  #go(event: SessionEvent): boolean {
    const from = this.#state;
    const to = nextState(from, event);
    if (to === undefined) return false;
    this.#state = to;
    this.#host.events.emit('state', to, from, event);
    return true;
  }

  /**
   * The keep-alive came due: an idle node checks its server (which also keeps it registered).
   * Only a registered node: `serverSilent` is refused in every other state.
   */
  #keepAliveDue(): void {
    if (!this.#requests.busy) this.#serverSilent();
  }

  /** `serverSilent`: check the server; true when the check began. */
  #serverSilent(): boolean {
    if (!this.#go('serverSilent')) return false;
    this.#change(this.#check());
    return true;
  }

  /** `calledHome`, or, during a check or change, after it (the recovering server calls once). */
  #callHome(home: Server): void {
    if (CHANGING.includes(this.#state)) {
      this.#afterwards.homeCall = home;
      return;
    }
    if (this.#go('calledHome')) this.#change(this.#goHome(home));
  }

  /** Checking, then failing over if the server did not answer. */
  async #check(): Promise<Ending | undefined> {
    const server = this.#placement.server;
    const checked = await checkServer(this.#changeRequests, server);
    if ('answer' in checked) {
      if (this.#placement.setBackups(checked.answer.servers)) {
        this.#host.events.emit('servers', [...this.#placement.backups]);
      }
      return { event: 'serverAnswered' };
    }
    // -ERR: the server lives but no longer takes us; silence: it failed. Either way, move on.
    if (checked.error.code === 'CLOSED' || !this.#go('serverFailed')) return undefined;
    const answer = await failOver(this.#changeRequests, this.#placement.backups, server);
    if (this.#state === 'closed') return undefined;
    return answer ? { event: 'backupTook', answer, from: server } : { event: 'noBackup' };
  }

  /**
   * PREFERRED goes home first and EXIT to the backup only once home has taken us (in `#end`): if
   * home fails again on the way, the node is still registered where it is.
   */
  async #goHome(home: Server): Promise<Ending> {
    const from = this.#placement.server;
    try {
      const answer = await this.request({ verb: 'PREFERRED', server: home }, { to: home });
      return { event: 'homeTook', answer, from };
    } catch (error) {
      reportUnheard(this.#host.events, 'warning', error as Error);
      return { event: 'homeSilent' };
    }
  }

  /** Runs a check or change; its ending moves the state, and waiting requests go on or fail. */
  #change(change: Promise<Ending | undefined>): void {
    change
      .then((ending) => this.#end(ending))
      .catch((error: Error) => reportUnheard(this.#host.events, 'warning', error));
  }

  #end(ending: Ending | undefined): void {
    // Undefined: the node was closed under the change, and its requests have failed already; or
    // a lost node's round of asking ended without a server (the next is scheduled, or none is left).
    if (ending === undefined || this.#state === 'closed') return;
    this.#liveness.resetCount();
    switch (ending.event) {
      case 'serverAnswered':
        this.#go('serverAnswered');
        this.#requests.resumeAll('checked');
        break;
      case 'backupTook':
      case 'homeTook':
      case 'serverFound':
        this.#moveTo(ending);
        break;
      case 'homeSilent':
        this.#go('homeSilent');
        this.#requests.resumeAll('moved');
        break;
      case 'noBackup':
        this.#go('noBackup');
        this.#host.events.emit('serverLost', this.#placement.server);
        this.#requests.failAll(noServerError(this.#placement.server));
        this.#rejoin.lost();
        break;
    }
    const afterwards = this.#afterwards;
    this.#afterwards = {};
    if (afterwards.exit) this.#go('exited');
    const call = afterwards.homeCall;
    if (call && this.#state !== 'lost' && !sameEndpoint(this.#placement.server, call)) this.#callHome(call);
  }

  /** One round of a lost node's asking (rejoin.ts): a server found, or the next round scheduled. */
  async #rejoinRound(round: number, stillLost: () => boolean): Promise<Ending | undefined> {
    const { server, preferred, backups } = this.#placement;
    const answer = await failOver(this.#changeRequests, rejoinServers(server, preferred, backups));
    // Registered by start(), exited or closed meanwhile (and perhaps lost again since).
    if (!stillLost()) return undefined;
    if (answer) return { event: 'serverFound', answer, from: server };
    this.#rejoin.next(round + 1);
    return undefined;
  }

  /** `backupTook`, `homeTook` or `serverFound`: the node is registered where `answer` came from. */
  #moveTo({ event, answer, from }: Ending & { event: 'backupTook' | 'homeTook' | 'serverFound' }): void {
    const home =
      event === 'homeTook' ||
      (event === 'serverFound' && sameEndpoint(answer.sender, this.#placement.preferred));
    if (event === 'homeTook') this.#placement.preferred = answer.sender;
    this.#placement.movedTo(answer);
    this.#liveness.moved();
    this.#go(event);
    // A lost node taken back by the server it lost reports no change of server: `state` says it.
    if (event !== 'serverFound' || !sameEndpoint(answer.sender, from))
      this.#host.events.emit('serverChanged', answer.sender, from, home ? 'home' : 'failover');
    if (event === 'homeTook') {
      // Not awaited, so a backup that died meanwhile does not hold up the return.
      this.request({ verb: 'EXIT' }, { to: from }).catch(() => undefined);
    }
    this.#requests.resumeAll('moved');
  }
}
