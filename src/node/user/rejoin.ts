/**
 * How a lost node finds a server again. Section II.iii says a node that no backup takes "exits";
 * but a server that was only slow for a moment (a delay spike longer than the node's N tries), or
 * a network that heals, would then leave the node off the network for good although its servers
 * are there. So a lost node keeps asking, with the PREFERRED of a failover: its last server, its
 * home, and the last neighbours it was told, in that order, one round after another with a
 * doubling pause between rounds (T, 2T, 4T, ... up to `maxPause`), for at most `rounds` rounds;
 * the first +OK ends it. Requests fail with NO_SERVER meanwhile, as in any lost node.
 */
import type { Server } from '../../ast.ts';
import type { Clock, Timer } from '../clock.ts';
import { plantedFaults } from '../planted-faults.ts';
import { sameEndpoint } from '../transport.ts';

export const REJOIN = {
  /** Rounds a lost node tries before it stays lost. */
  rounds: 8,
  /** The longest pause between two rounds, ms. */
  maxPause: 30_000,
} as const;

/** The pause before round `round` (0 first), for a node whose timeout is `timeout` (T). */
export function rejoinPause(round: number, timeout: number): number {
  return Math.min(timeout * 2 ** round, REJOIN.maxPause);
}

/** Whom a lost node asks, each address once: its last server, its home, their neighbours. */
export function rejoinServers(server: Server, home: Server, backups: readonly Server[]): Server[] {
  const servers: Server[] = [];
  for (const s of [server, home, ...backups]) {
    if (!servers.some((k) => sameEndpoint(k, s))) servers.push(s);
  }
  return servers;
}

/**
 * When a lost node asks: the rounds after a loss, each after its pause. A round belongs to the
 * loss that began it: once the node is out of `lost` (start(), EXIT, close()), or lost again
 * since, it asks no more for that loss.
 */
export class Rejoin {
  readonly #clock: Clock;
  readonly #timeout: number;
  readonly #isLost: () => boolean;
  readonly #ask: (round: number, stillLost: () => boolean) => void;
  #timer: Timer | undefined;
  #losses = 0;

  /** `ask` runs round `round`; `stillLost()` says whether its answer is still wanted. */
  constructor(
    clock: Clock,
    timeout: number,
    isLost: () => boolean,
    ask: (round: number, stillLost: () => boolean) => void,
  ) {
    this.#clock = clock;
    this.#timeout = timeout;
    this.#isLost = isLost;
    this.#ask = ask;
  }

  /** The node was just lost: the first round comes after the first pause. */
  lost(): void {
    this.#losses++;
    this.next(0);
  }

  /** Round `round` comes after its pause, unless the rounds are used up. */
  next(round: number): void {
    this.#timer?.cancel();
    if (round >= REJOIN.rounds || plantedFaults.has('stayLost')) return;
    const loss = this.#losses;
    const stillLost = () => this.#isLost() && this.#losses === loss;
    this.#timer = this.#clock.setTimeout(
      () => {
        if (stillLost()) this.#ask(round, stillLost);
      },
      rejoinPause(round, this.#timeout),
    );
  }

  stop(): void {
    this.#timer?.cancel();
  }
}
