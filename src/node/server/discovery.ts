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
 * (one unicast DISCOVER, `probeInterval` to reply): a server restarted on a new port gets its
 * alias back, and a live holder is never displaced. When gossip shows our alias at another
 * address (two partitions merged), the same tie-break decides and the higher address renames.
 */
import type { DiscoverCommand, Server, ServerCommand, ServerReply } from '../../ast.ts';
import { endpointKey, sameEndpoint } from '../transport.ts';
import { PADDED } from '../wire.ts';
import type { ServerContext } from './context.ts';

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

export class Discovery {
  readonly #ctx: ServerContext;
  readonly #rename: (alias: string) => void;
  #state: 'idle' | 'probing' | 'claimed' = 'idle';
  #timer: NodeJS.Timeout | undefined;
  #renames: number[] = [];
  #onClaimed: (() => void) | undefined;
  /** Liveness probes in flight, by address: each resolves true on any answer. */
  readonly #probesInFlight = new Map<string, { answered: Promise<boolean>; answer: () => void }>();
  /** When each stranger was last greeted, so a chatty one is greeted once per gossip expiry. */
  readonly #greeted = new Map<string, number>();

  constructor(ctx: ServerContext, rename: (alias: string) => void) {
    this.#ctx = ctx;
    this.#rename = rename;
  }

  get claimed(): boolean {
    return this.#state === 'claimed';
  }

  /** Starts probing the current alias; resolves once an alias is claimed. */
  start(): Promise<void> {
    const claimed = new Promise<void>((resolve) => {
      this.#onClaimed = resolve;
    });
    this.#probe(Math.random() * this.#ctx.options.probeInterval);
    return claimed;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#state = 'idle';
    for (const probe of this.#probesInFlight.values()) probe.answer();
  }

  /** Whether `server` answers a unicast DISCOVER within `probeInterval`. */
  isAlive(server: Server): Promise<boolean> {
    const key = endpointKey(server);
    const inFlight = this.#probesInFlight.get(key);
    if (inFlight) return inFlight.answered;
    let answer = () => {};
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#probesInFlight.delete(key);
        resolve(false);
      }, this.#ctx.options.probeInterval);
      answer = () => {
        clearTimeout(timer);
        this.#probesInFlight.delete(key);
        resolve(true);
      };
    });
    this.#probesInFlight.set(key, { answered, answer });
    this.#ctx.send(
      { kind: 'ServerCommand', sender: this.#ctx.self, command: { verb: 'DISCOVER', alias: server.alias } },
      server,
      { padTo: PADDED.discover, unmetered: true },
    );
    return answered;
  }

  /** Introduces us to a server heard gossiping that is not a neighbour: its +OK makes it one. */
  greet(server: Server): void {
    if (this.#state !== 'claimed') return;
    const now = this.#ctx.now();
    const key = endpointKey(server);
    const last = this.#greeted.get(key);
    if (last !== undefined && now - last < 3 * this.#ctx.options.gossipInterval) return;
    // A stranger pays for its greeting with its gossip; until it has sent enough, try again later.
    if (!this.#ctx.send(this.#discover(), server, { padTo: PADDED.greeting })) return;
    this.#greeted.delete(key);
    this.#greeted.set(key, now);
    // Bounded: the oldest greeting is forgotten first.
    if (this.#greeted.size > 1024) this.#greeted.delete(this.#greeted.keys().next().value as string);
  }

  /**
   * Gossip shows `other` holding our alias: the lower address keeps it, the other renames. A
   * server named in someone else's list may be a dead one not yet forgotten, so it must answer first.
   */
  clash(other: Server, heardDirectly: boolean): void {
    const contested = () => {
      const self = this.#ctx.self;
      return this.#state === 'claimed' && other.alias === self.alias && !sameEndpoint(other, self);
    };
    if (!contested() || !lowerAddress(other, this.#ctx.self)) return;
    if (heardDirectly) this.#conflict();
    else this.isAlive(other).then((alive) => alive && contested() && this.#conflict());
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
        this.#ctx.broadcast(this.#discover(), { padTo: PADDED.discover });
        this.#timer = setTimeout(step, probeInterval);
      } else {
        this.#state = 'claimed';
        this.#ctx.gossipSoon(); // tell everyone the name now, not at the next tick
        this.#ctx.emit('ready', this.#ctx.self);
        this.#onClaimed?.();
      }
    };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(step, delay);
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
    const now = this.#ctx.now();
    this.#renames = this.#renames.filter((t) => now - t < RENAME_PERIOD);
    this.#renames.push(now);
    const from = this.#ctx.self.alias;
    const to = nextAlias(from);
    this.#rename(to);
    this.#ctx.emit('aliasChanged', from, to);
    this.#probe(this.#renames.length > RENAME_BURST ? RENAME_BACKOFF : 0);
  }

  /** A DISCOVER from another server (Section III: -ERR on a collision, +OK to neighbour). */
  onDiscover(packet: ServerCommand & { command: DiscoverCommand }): void {
    const ctx = this.#ctx;
    const claimant = packet.sender;
    const alias = packet.command.alias;
    const now = ctx.now();
    if (alias === ctx.self.alias) {
      if (this.#state === 'probing' && lowerAddress(claimant, ctx.self)) {
        this.#conflict(); // it keeps the alias; no answer under a name we are giving up
        return;
      }
      ctx.reply(packet, '-ERR', { messages: [`alias ${alias} is taken by ${ctx.self.ip}:${ctx.self.port}`] });
      return;
    }
    const holder = ctx.neighbours.holder(alias, now);
    if (holder && !sameEndpoint(holder.server, claimant)) {
      const contestable = now - holder.since < this.claimWindow;
      if (!(contestable && lowerAddress(claimant, holder.server))) {
        const later = ctx.withScope();
        this.isAlive(holder.server).then((alive) =>
          later(() => {
            if (alive) {
              ctx.reply(packet, '-ERR', {
                messages: [`alias ${alias} is taken by ${holder.server.ip}:${holder.server.port}`],
              });
              return;
            }
            this.#forget(holder.server);
            this.#accept(packet);
          }),
        );
        return;
      }
      this.#forget(holder.server);
    }
    this.#accept(packet);
  }

  /** Whether `server` is, or may become, a neighbour within `limits.neighbours`. */
  #roomForNeighbour(server: Server): boolean {
    const ctx = this.#ctx;
    if (ctx.neighbours.isNeighbour(server) || ctx.neighbours.size < ctx.limits.neighbours) return true;
    ctx.counters.overLimit++;
    return false;
  }

  #greetedRecently(server: Server): boolean {
    const at = this.#greeted.get(endpointKey(server));
    return at !== undefined && this.#ctx.now() - at < 3 * this.#ctx.options.gossipInterval;
  }

  /** A holder that lost its alias (to a tie-break, or by not answering) is no neighbour of ours. */
  #forget(server: Server): void {
    const ctx = this.#ctx;
    ctx.directory.forgetServer(server);
    if (ctx.neighbours.remove(server)) {
      ctx.emit('neighbourLost', server);
      ctx.neighboursChanged();
    }
  }

  #accept(packet: ServerCommand & { command: DiscoverCommand }): void {
    const ctx = this.#ctx;
    const claimant = packet.sender;
    const now = ctx.now();
    // An unpaid answer to an unknown address (credit.ts) makes no neighbour: a forged DISCOVER
    // must not put its victim in our users' failover lists, nor set off gossip, for free.
    if (!ctx.reply(packet, '+OK')) return;
    if (this.#roomForNeighbour(claimant) && ctx.neighbours.add(claimant, now)) {
      ctx.emit('neighbourFound', claimant);
      ctx.neighboursChanged();
    }
  }

  /** The answer to one of our DISCOVERs. */
  onReply(reply: ServerReply & { command: ServerCommand & { command: DiscoverCommand } }): void {
    const ctx = this.#ctx;
    this.#probesInFlight.get(endpointKey(reply.sender))?.answer();
    // Answers to a name already given up (or to a liveness probe) are not about our claim.
    if (reply.command.command.alias !== ctx.self.alias) return;
    // Only an answer to a DISCOVER we sent (our probes, multicast while probing, or a greeting)
    // counts: a forged -ERR must not rename us, nor a forged +OK make a neighbour.
    if (this.#state !== 'probing' && !this.#greetedRecently(reply.sender)) {
      ctx.counters.unsolicited++;
      return;
    }
    if (reply.status === '-ERR') {
      this.#conflict();
      return;
    }
    if (this.#roomForNeighbour(reply.sender) && ctx.neighbours.add(reply.sender, ctx.now())) {
      ctx.emit('neighbourFound', reply.sender);
      ctx.neighboursChanged();
    }
  }
}
