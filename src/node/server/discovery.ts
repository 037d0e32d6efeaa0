/**
 * Section II.i: claiming an alias and finding neighbours with DISCOVER.
 *
 * Probing follows mDNS (RFC 6762 sections 8-9) where the spec is silent: a random 0-probeInterval
 * delay, then `probes` DISCOVERs `probeInterval` apart on every channel; with no refusal by one
 * interval after the last, the alias is ours. A refusal renames (alpha -> alpha2) and probes again;
 * after 15 renames within 10 s, further attempts wait 5 s. Two servers probing one alias at once:
 * the lower address (IP, then port) keeps it, at every server that sees both claims.
 *
 * A claim for an alias known at another address is refused only if that address still answers
 * (liveness.ts): a server restarted on a new port gets its alias back, and a live holder is never
 * displaced. A refusal names the holder, and renames the prober only when it comes from the holder
 * itself (a third party's word is checked by asking the holder). When gossip shows our alias at
 * another address (two partitions merged), that server is asked too, and only its own -ERR lets
 * the tie-break decide: the higher address renames. Gossip alone never renames anyone.
 */
import type { DiscoverCommand, Server, ServerCommand, ServerReply } from '../../ast.ts';
import { BoundedMap } from '../bounded-map.ts';
import type { Timer } from '../clock.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { PADDED } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { Gossip } from './gossip.ts';
import type { Inbound } from './inbound.ts';
import type { Liveness } from './liveness.ts';

const RENAME_BURST = 15;
const RENAME_PERIOD = 10_000;
const RENAME_BACKOFF = 5_000;

/** `alpha` -> `alpha2` -> `alpha3`; a trailing number counts up. */
export function nextAlias(alias: string): string {
  const [, base = alias, digits = ''] = /^(.*?)(\d*)$/.exec(alias) ?? [];
  if (digits === '') return `${alias}2`;
  return base === '' ? String(BigInt(digits) + 1n) : `${base}${BigInt(digits) + 1n}`;
}

/** Deterministic tie-break: true when `a` is the lower address. */
export function lowerAddress(a: Server, b: Server): boolean {
  const octets = (ip: string) => ip.split('.').reduce((n, byte) => n * 256 + Number(byte), 0);
  const [x, y] = [octets(a.ip), octets(b.ip)];
  return x !== y ? x < y : a.port < b.port;
}

export type DiscoverPacket = ServerCommand & { command: DiscoverCommand };
export type DiscoverReply = ServerReply & { command: DiscoverPacket };

export class Discovery {
  readonly #ctx: ServerContext;
  readonly #liveness: Liveness;
  readonly #gossip: Gossip;
  readonly #rename: (alias: string) => void;
  #state: 'idle' | 'probing' | 'claimed' = 'idle';
  #timer: Timer | undefined;
  #renames: number[] = [];
  #onClaimed: (() => void) | undefined;
  #onStopped: ((error: Error) => void) | undefined;
  /** When each stranger was last greeted (`limits.greeted`). */
  readonly #greeted: BoundedMap<string, number>;
  /** When each claim (address and alias) was first heard (`limits.claims`). */
  readonly #claimsHeard: BoundedMap<string, number>;
  /** Servers that answered +OK to our probes: greeted once the alias is ours. */
  readonly #candidates = new Map<string, Server>();
  /** When each server said to hold our alias was last asked whether it does (`limits.challenges`). */
  readonly #challenged: BoundedMap<string, number>;

  /** `rename` records a new alias (the server saves it). */
  constructor(ctx: ServerContext, liveness: Liveness, gossip: Gossip, rename: (alias: string) => void) {
    this.#ctx = ctx;
    this.#liveness = liveness;
    this.#gossip = gossip;
    this.#rename = rename;
    const { greeted, claims, challenges } = ctx.options.limits;
    this.#greeted = new BoundedMap(greeted);
    this.#claimsHeard = new BoundedMap(claims);
    this.#challenged = new BoundedMap(challenges);
  }

  get claimed(): boolean {
    return this.#state === 'claimed';
  }

  /** Starts probing the current alias; resolves once an alias is claimed. */
  start(): Promise<void> {
    const claimed = new Promise<void>((resolve, reject) => {
      this.#onClaimed = resolve;
      this.#onStopped = reject;
    });
    this.#probe(this.#ctx.options.random() * this.#ctx.options.probeInterval);
    return claimed;
  }

  /** Stops probing; a claim still in progress rejects, so `start()` never hangs on a closed server. */
  stop(): void {
    this.#timer?.cancel();
    if (this.#state === 'probing')
      this.#onStopped?.(new Error('the server closed before its alias was claimed'));
    this.#state = 'idle';
  }

  /**
   * Introduces us to a server heard gossiping that is not a neighbour (or that just claimed an
   * alias: `claimant`): its +OK makes it one. A gossiping stranger is greeted once per gossip
   * expiry; a claimant each time it asks, within what its DISCOVER paid for.
   */
  greet(server: Server, cause?: Inbound, claimant = false): void {
    if (this.#state !== 'claimed' || this.#ctx.neighbours.isNeighbour(server)) return;
    const now = this.#ctx.clock.now();
    const key = endpointKey(server);
    // A claimant is greeted each time it asks (an earlier greeting may have been refused or
    // lost); a stranger heard gossiping once per gossip expiry. Neighbours are never greeted, so
    // two servers greeting each other's greetings stop once each has the other's +OK.
    if (!claimant && this.#askedRecently(this.#greeted, server)) return;
    // A stranger pays for its greeting with its gossip; until it has sent enough, try again later.
    // The padding is only a margin for the answer: never more than the cause's credit leaves.
    const padTo = Math.min(PADDED.greeting, cause ? this.#ctx.outbox.budget(cause) : PADDED.greeting);
    if (!this.#ctx.outbox.send(this.#discover(), server, { padTo, cause })) return;
    this.#greeted.set(key, now);
  }

  /**
   * Gossip shows `other` holding our alias (two partitions merged, or someone naming it). Gossip
   * never renames: a conflict is real only when the holder itself answers (RFC 6762 section 9),
   * so `other` is asked with a unicast DISCOVER of the alias, and only its own -ERR counts
   * (onReply); then the lower address keeps the alias and the other renames.
   */
  clash(other: Server): void {
    const self = this.#ctx.self;
    const contested = this.#state === 'claimed' && other.alias === self.alias && !sameEndpoint(other, self);
    if (!contested || !lowerAddress(other, self)) return;
    this.#challenge(other);
  }

  /** Asks `server` whether it holds our alias; at most once per gossip expiry. */
  #challenge(server: Server): void {
    const now = this.#ctx.clock.now();
    if (this.#askedRecently(this.#challenged, server)) return;
    this.#challenged.set(endpointKey(server), now);
    this.#ctx.outbox.send(this.#discover(), server, { padTo: PADDED.discover });
  }

  /**
   * How long after its first probe was heard a claim stays contestable by a simultaneous,
   * lower-addressed prober: until the earliest moment the holder can have finished probing.
   * After that the holder may own the alias, and only its silence gives the alias away.
   */
  get claimWindow(): number {
    const { probes, probeInterval } = this.#ctx.options;
    return probes * probeInterval;
  }

  #probe(delay: number): void {
    this.#state = 'probing';
    const { probes, probeInterval } = this.#ctx.options;
    let sent = 0;
    const step = () => {
      if (sent < probes) {
        sent++;
        this.#ctx.outbox.broadcast(this.#discover(), { padTo: PADDED.discover });
        this.#timer = this.#ctx.clock.setTimeout(step, probeInterval);
      } else {
        this.#state = 'claimed';
        this.#gossip.soon(); // tell everyone the name now, not at the next tick
        this.#ctx.emit('ready', this.#ctx.self);
        this.#greetCandidates();
      }
    };
    this.#timer?.cancel();
    this.#timer = this.#ctx.clock.setTimeout(step, delay);
  }

  /**
   * The servers that answered our probes are greeted now that the alias is ours; `start()`
   * resolves once each has answered (and so is a neighbour) or after one `probeInterval`.
   */
  #greetCandidates(): void {
    const candidates = [...this.#candidates.values()];
    this.#candidates.clear();
    for (const candidate of candidates) this.greet(candidate);
    const ctx = this.#ctx;
    const until = ctx.clock.now() + ctx.options.probeInterval;
    const check = () => {
      if (this.#state !== 'claimed') return; // renamed meanwhile: the next claim resolves it
      const settled = candidates.every((c) => ctx.neighbours.isNeighbour(c)) || ctx.clock.now() >= until;
      if (settled) this.#onClaimed?.();
      else this.#timer = ctx.clock.setTimeout(check, Math.min(10, ctx.options.probeInterval));
    };
    check();
  }

  #discover(): ServerCommand {
    return {
      kind: 'ServerCommand',
      sender: this.#ctx.self,
      command: { verb: 'DISCOVER', alias: this.#ctx.self.alias },
    };
  }

  /** Our alias was refused or lost a tie-break: take the next one and probe it. */
  #conflict(): void {
    const now = this.#ctx.clock.now();
    this.#renames = this.#renames.filter((t) => now - t < RENAME_PERIOD);
    this.#renames.push(now);
    const from = this.#ctx.self.alias;
    const to = nextAlias(from);
    this.#rename(to);
    this.#ctx.emit('aliasChanged', from, to);
    this.#probe(this.#renames.length > RENAME_BURST ? RENAME_BACKOFF : 0);
  }

  /** A DISCOVER from another server (Section III: -ERR on a collision, +OK to neighbour). */
  onDiscover(packet: DiscoverPacket, inbound: Inbound): void {
    const ctx = this.#ctx;
    const claimant = packet.sender;
    const alias = packet.command.alias;
    const now = ctx.clock.now();
    if (
      alias.length > ctx.options.limits.nameLength ||
      claimant.alias.length > ctx.options.limits.nameLength
    ) {
      ctx.counters.overLimit++;
      const reason = `an alias is at most ${ctx.options.limits.nameLength} characters here`;
      ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [reason] });
      return;
    }
    // When each claim was first heard: a claim stays contestable for `claimWindow` from its first
    // probe, however long the round trip that makes the claimant a neighbour takes after it.
    const claim = `${endpointKey(claimant)} ${alias}`;
    if (claimant.alias === alias && !this.#claimsHeard.has(claim)) this.#claimsHeard.set(claim, now);
    if (alias === ctx.self.alias) {
      // A rival prober names itself by the alias it claims; a liveness probe for us does not.
      if (this.#state === 'probing' && claimant.alias === alias && lowerAddress(claimant, ctx.self)) {
        this.#conflict(); // it keeps the alias; no answer under a name we are giving up
        return;
      }
      ctx.outbox.reply(packet, '-ERR', {
        cause: inbound,
        messages: [`alias ${alias} is taken by ${ctx.self.ip}:${ctx.self.port}`],
      });
      return;
    }
    const holder = ctx.knownServers.holder(alias, now);
    if (holder && !sameEndpoint(holder.server, claimant)) {
      const since = this.#claimsHeard.get(`${endpointKey(holder.server)} ${alias}`) ?? holder.since;
      const contestable = now - since < this.claimWindow;
      if (!(contestable && lowerAddress(claimant, holder.server))) {
        this.#liveness.isAlive(holder.server, inbound).then((alive) => {
          if (alive) {
            // The holder is named, so the claimant can ask it itself: only the holder's word renames.
            ctx.outbox.reply(packet, '-ERR', {
              cause: inbound,
              servers: [holder.server],
              messages: [`alias ${alias} is taken by ${holder.server.ip}:${holder.server.port}`],
            });
            return;
          }
          this.#forget(holder.server);
          this.#accept(packet, inbound);
        });
        return;
      }
      this.#forget(holder.server);
    }
    this.#accept(packet, inbound);
  }

  /** Whether `server` is, or may become, a neighbour within `limits.neighbours`. */
  #roomForNeighbour(server: Server): boolean {
    const ctx = this.#ctx;
    if (ctx.neighbours.isNeighbour(server) || ctx.neighbours.size < ctx.options.limits.neighbours)
      return true;
    ctx.counters.overLimit++;
    return false;
  }

  #askedRecently(asked: BoundedMap<string, number>, server: Server): boolean {
    const at = asked.get(endpointKey(server));
    return at !== undefined && this.#ctx.clock.now() - at < 3 * this.#ctx.options.gossipInterval;
  }

  /** A holder that lost its alias (to a tie-break, or by not answering) is no neighbour of ours. */
  #forget(server: Server): void {
    const ctx = this.#ctx;
    ctx.directory.forgetServer(server);
    ctx.knownServers.forget(server);
    if (ctx.neighbours.remove(server)) {
      ctx.emit('neighbourLost', server);
      this.#gossip.neighboursChanged();
    }
  }

  #accept(packet: DiscoverPacket, inbound: Inbound): void {
    const ctx = this.#ctx;
    const claimant = packet.sender;
    // An unpaid answer to an unknown address (credit.ts) makes no neighbour: a forged DISCOVER
    // must not put its victim in our users' failover lists, nor set off gossip, for free.
    if (!ctx.outbox.reply(packet, '+OK', { cause: inbound })) return;
    // A neighbour only through a round trip: our own DISCOVER to the claimant, answered from its
    // address, makes it one (onReply). A DISCOVER alone, perhaps forged, makes none. A neighbour
    // dropped for its silence proved its address before: its return is greeted whatever its
    // credit went on meanwhile (a forged return earns one DISCOVER toward that server).
    this.greet(claimant, this.#ctx.neighbours.lapsed(claimant) ? undefined : inbound, true);
  }

  /** The answer to one of our DISCOVERs. */
  onReply(reply: DiscoverReply): void {
    const ctx = this.#ctx;
    // Answers to a name already given up (or to a liveness probe) are not about our claim.
    if (reply.command.command.alias !== ctx.self.alias) return;
    // Only an answer to a DISCOVER we sent (our probes, multicast while probing, a greeting, a
    // challenge) counts: a forged -ERR must not rename us, nor a forged +OK make a neighbour.
    const challenged = this.#askedRecently(this.#challenged, reply.sender);
    if (this.#state !== 'probing' && !this.#askedRecently(this.#greeted, reply.sender) && !challenged) {
      ctx.counters.unsolicited++;
      return;
    }
    if (reply.status === '-ERR') {
      this.#refused(reply);
      return;
    }
    // A +OK to a multicast probe may come from a forged source: it is greeted by unicast once the
    // alias is ours, and becomes a neighbour only by answering that.
    if (this.#state === 'probing' && !this.#askedRecently(this.#greeted, reply.sender) && !challenged) {
      if (this.#candidates.size < this.#ctx.options.limits.neighbours)
        this.#candidates.set(endpointKey(reply.sender), reply.sender);
      return;
    }
    this.#neighbour(reply.sender, ctx.clock.now());
  }

  /**
   * A -ERR to our DISCOVER. It counts only from the holder itself (its alias is ours): while we
   * probe, as a refusal; once we hold the alias, when it is the lower address. A refusal from a
   * third party that names the holder in its Server list sends us to ask that holder; one that
   * names none is one server's word and changes nothing.
   */
  #refused(reply: DiscoverReply): void {
    const self = this.#ctx.self;
    if (reply.sender.alias === self.alias) {
      if (this.#state === 'probing' || lowerAddress(reply.sender, self)) this.#conflict();
      return;
    }
    const holder = reply.servers.find((s) => s.alias === self.alias && !sameEndpoint(s, self));
    if (this.#state === 'probing' && holder) this.#challenge(holder);
  }

  /** Takes `server` as a neighbour, if there is room for it. */
  #neighbour(server: Server, now: number): void {
    const ctx = this.#ctx;
    if (!this.#roomForNeighbour(server)) return;
    ctx.knownServers.know(server, now);
    if (ctx.neighbours.add(server, now)) {
      ctx.emit('neighbourFound', server);
      this.#gossip.neighboursChanged();
    }
  }
}
