/**
 * Where the user node is registered, and the two ways it moves. Failover (Section II.iii): the
 * server failed, so the node sends `PREFERRED <its preferred server>` to each of the failed
 * server's neighbours in turn (its last KNOWNSERVERS) and the first +OK becomes its server.
 * Coming home (Section II.v): a PREFERRED from the preferred server itself brings it back. One
 * change runs at a time; requests wait for it and then go to the new server.
 */

import type { EventEmitter } from 'node:events';
import type { Server, ServerCommand, ServerReply, UCommand } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { reportUnheard } from '../unheard.ts';
import { FAILOVER_LIST } from '../wire.ts';
import type { RequestError } from './errors.ts';
import type { UserEvents } from './events.ts';
import type { ServerLiveness } from './liveness.ts';
import type { RequestMode } from './request.ts';

/** What a change of server needs of the user node. */
export interface FailoverHost {
  readonly closed: boolean;
  readonly liveness: ServerLiveness;
  /** Where `serverChanged`, `serverLost` and warnings are reported: the user node. */
  readonly events: EventEmitter<UserEvents>;
  request(command: UCommand, mode: RequestMode): Promise<ServerReply>;
  /**
   * A check or change is over: waiting requests go on to the server the node is on now, or fail
   * if the node is lost. `confirmed`: the server was checked and answered; the node did not move.
   */
  settled(confirmed: boolean): void;
}

/** The first `limit` servers of a list, each address once. */
function firstDistinct(servers: readonly Server[], limit: number): Server[] {
  const kept: Server[] = [];
  for (const server of servers) {
    if (kept.length >= limit) break;
    if (!kept.some((k) => sameEndpoint(k, server))) kept.push(server);
  }
  return kept;
}

export class Failover {
  readonly #host: FailoverHost;
  /** The server this node is registered with. */
  server: Server;
  /** The home server: where the node registered first, and returns to. */
  preferred: Server;
  /** The current server's neighbours, as it last told us. */
  backups: Server[] = [];
  /** The server failed and no backup took the node. */
  lost = false;
  #switching: Promise<void> | undefined;
  /** A call home that came during a check or change, taken after it. */
  #homeCall: Server | undefined;
  /** Deregistered by EXIT: no checks, no keep-alive. */
  #left = false;
  /** Calls home not yet vouched for by our server's KNOWNSERVERS, by address: taken once one is. */
  readonly #unvouchedCalls = new BoundedMap<string, Server>(4);

  constructor(host: FailoverHost, server: Server) {
    this.#host = host;
    this.server = server;
    this.preferred = server;
  }

  /** True while the node changes server. */
  get switching(): boolean {
    return this.#switching !== undefined;
  }

  /** The first registration's answer: this server is home. */
  registered(answer: ServerReply): void {
    this.#left = false;
    this.server = answer.sender;
    this.preferred = answer.sender;
    this.backups = firstDistinct(answer.servers, FAILOVER_LIST);
  }

  /**
   * The current server may have failed, or has been quiet for a keep-alive period: ask it
   * PREFERRED again (the one request every server answers a user, Section II.iii: re-registering
   * changes nothing), up to N times, and fail over to its neighbours only if none is answered.
   */
  checkServer(): void {
    if (this.#left) return;
    this.#change(() => this.#check());
  }

  /** The node sent EXIT: it has no server to check until it registers again. */
  left(): void {
    this.#left = true;
  }

  /** The preferred server is back (perhaps at a new address): go home. */
  comeHome(home: Server): void {
    // A call that comes while the server is being checked is taken once the check is over: the
    // recovering server calls only once.
    if (this.#switching) {
      this.#homeCall = home;
      return;
    }
    this.#change(() => this.#goHome(home));
  }

  /**
   * A server command from the address it names. KNOWNSERVERS from our server: its neighbours, our
   * failover list (true: the list changed). PREFERRED from a server of our preferred server's
   * alias, naming itself, while we are elsewhere: it is back, so go home, but only once our
   * current server vouches for it (a round trip to an address already trusted): its KNOWNSERVERS
   * lists that alias at that address. A call from anywhere else is one datagram's word.
   */
  onServerCommand(packet: ServerCommand): boolean {
    const command = packet.command;
    if (command.verb === 'KNOWNSERVERS' && sameEndpoint(packet.sender, this.server)) {
      this.backups = firstDistinct(command.servers, FAILOVER_LIST);
      const call = [...this.#unvouchedCalls.entries()].map(([, s]) => s).find((s) => this.vouches(s));
      if (call) {
        this.#unvouchedCalls.clear();
        this.comeHome(call);
      }
      return true;
    }
    if (
      command.verb === 'PREFERRED' &&
      sameEndpoint(command.server, packet.sender) &&
      packet.sender.alias === this.preferred.alias &&
      !sameEndpoint(packet.sender, this.server) &&
      !sameEndpoint(this.server, this.preferred) &&
      !this.lost
    ) {
      if (this.vouches(packet.sender)) this.comeHome(packet.sender);
      else this.#unvouchedCalls.set(endpointKey(packet.sender), packet.sender);
    }
    return false;
  }

  /** Whether our current server's last KNOWNSERVERS lists `server` (alias and address). */
  vouches(server: Server): boolean {
    return this.backups.some((b) => b.alias === server.alias && sameEndpoint(b, server));
  }

  /** Runs one check or change of server at a time; `change` resolves true if the server was confirmed. */
  #change(change: () => Promise<unknown>): void {
    if (this.#switching || this.#host.closed) return;
    let confirmed = false;
    this.#switching = change()
      .then((outcome) => {
        confirmed = outcome === true;
      })
      .catch((error: Error) => reportUnheard(this.#host.events, 'warning', error))
      .finally(() => {
        this.#switching = undefined;
        this.#host.liveness.resetCount();
        this.#host.settled(confirmed);
        const call = this.#homeCall;
        this.#homeCall = undefined;
        if (call && !this.lost && !sameEndpoint(this.server, call)) this.comeHome(call);
      });
  }

  /** True: the server answered, and its answer's neighbours are the failover list now. */
  async #check(): Promise<boolean> {
    const server = this.server;
    try {
      const answer = await this.#host.request({ verb: 'PREFERRED', server: this.preferred }, { to: server });
      const backups = firstDistinct(answer.servers, FAILOVER_LIST);
      const changed =
        backups.length !== this.backups.length ||
        backups.some((b, i) => b.alias !== this.backups[i]?.alias || !sameEndpoint(b, this.backups[i]));
      this.backups = backups;
      if (changed) this.#host.events.emit('servers', backups);
      return true;
    } catch (error) {
      // -ERR: the server lives but no longer takes us; silence: it failed. Either way, move on.
      if ((error as RequestError).code === 'CLOSED') return false;
      await this.#failover();
      return false;
    }
  }

  async #failover(): Promise<void> {
    const failed = this.server;
    for (const backup of this.backups) {
      if (sameEndpoint(backup, failed) || this.#host.closed) continue;
      try {
        const answer = await this.#host.request(
          { verb: 'PREFERRED', server: this.preferred },
          { to: backup },
        );
        this.#moveTo(answer, failed, 'failover');
        return;
      } catch (error) {
        if ((error as RequestError).code === 'CLOSED') return;
      }
    }
    this.lost = true;
    this.#host.events.emit('serverLost', failed);
  }

  /**
   * PREFERRED goes first and EXIT to the backup only once home has taken us: if home fails again
   * on the way, the node is still registered where it is. The EXIT is not awaited, so a backup
   * that died meanwhile does not hold up the return.
   */
  async #goHome(home: Server): Promise<void> {
    const backup = this.server;
    const answer = await this.#host.request({ verb: 'PREFERRED', server: home }, { to: home });
    this.preferred = answer.sender;
    this.#moveTo(answer, backup, 'home');
    this.#host.request({ verb: 'EXIT' }, { to: backup }).catch(() => undefined);
  }

  #moveTo(answer: ServerReply, from: Server, reason: 'failover' | 'home'): void {
    this.server = answer.sender;
    this.backups = firstDistinct(answer.servers, FAILOVER_LIST);
    this.#unvouchedCalls.clear();
    this.#host.liveness.moved();
    this.#host.events.emit('serverChanged', answer.sender, from, reason);
  }
}
