/**
 * Where the user node is registered: its server, its home (the preferred server) and the current
 * server's neighbours, its failover list (Section II.iv). Plain data with the rules for reading a
 * server's answer; the session (session.ts) decides when it changes.
 */
import type { Server, ServerReply } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { FAILOVER_LIST } from '../wire.ts';

/** The first `limit` servers of a list, each address once. */
function firstDistinct(servers: readonly Server[], limit: number): Server[] {
  const kept: Server[] = [];
  for (const server of servers) {
    if (kept.length >= limit) break;
    if (!kept.some((k) => sameEndpoint(k, server))) kept.push(server);
  }
  return kept;
}

export class Placement {
  /** The server this node is registered with. */
  server: Server;
  /** The home server: where the node registered first, and returns to. */
  preferred: Server;
  #backups: Server[] = [];
  /** Calls home not yet vouched for by our server's KNOWNSERVERS, by address: taken once one is. */
  readonly #unvouchedCalls = new BoundedMap<string, Server>(4);

  constructor(server: Server) {
    this.server = server;
    this.preferred = server;
  }

  /** The current server's neighbours, as it last told us. */
  get backups(): readonly Server[] {
    return this.#backups;
  }

  /** The first registration's answer: this server is home. */
  registered(answer: ServerReply): void {
    this.server = answer.sender;
    this.preferred = answer.sender;
    this.#backups = firstDistinct(answer.servers, FAILOVER_LIST);
  }

  /** The node is registered with the server that sent `answer` now (a backup, or home again). */
  movedTo(answer: ServerReply): void {
    this.server = answer.sender;
    this.#backups = firstDistinct(answer.servers, FAILOVER_LIST);
    this.#unvouchedCalls.clear();
  }

  /** The current server's neighbours, from its KNOWNSERVERS or its answer; true when they changed. */
  setBackups(servers: readonly Server[]): boolean {
    const backups = firstDistinct(servers, FAILOVER_LIST);
    const old = this.#backups;
    this.#backups = backups;
    return (
      backups.length !== old.length ||
      backups.some((b, i) => b.alias !== old[i]?.alias || !sameEndpoint(b, old[i]))
    );
  }

  /** Whether our current server's last KNOWNSERVERS lists `server` (alias and address). */
  vouches(server: Server): boolean {
    return this.#backups.some((b) => b.alias === server.alias && sameEndpoint(b, server));
  }

  /**
   * A PREFERRED from a server of our home's alias, naming itself, while we are elsewhere: it may
   * be home come back (Section II.v).
   */
  isCallHome(sender: Server, named: Server): boolean {
    return (
      sameEndpoint(named, sender) &&
      sender.alias === this.preferred.alias &&
      !sameEndpoint(sender, this.server) &&
      !sameEndpoint(this.server, this.preferred)
    );
  }

  /** A call home our server does not vouch for yet: kept until a KNOWNSERVERS of it does. */
  holdCall(home: Server): void {
    this.#unvouchedCalls.set(endpointKey(home), home);
  }

  /** A held call home that our server's neighbours now vouch for (the held calls are then dropped). */
  takeVouchedCall(): Server | undefined {
    const call = [...this.#unvouchedCalls.entries()].map(([, s]) => s).find((s) => this.vouches(s));
    if (call) this.#unvouchedCalls.clear();
    return call;
  }
}
