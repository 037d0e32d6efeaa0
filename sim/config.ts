/** What one simulated run is made of, its defaults, and the timings its nodes run with. */

/** Every kind of fault the simulator can inject. */
export const FAULT_KINDS = [
  'loss',
  'duplicate',
  'reorder',
  'spike',
  'partition',
  'crash',
  'garbage',
  'jump',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SimConfig {
  seed: number;
  servers: number;
  users: number;
  /** Multicast channels; servers are spread over them and the first ones bridge two. */
  channels: number;
  /** Virtual minutes of workload; the run goes on until the last checks are due. */
  minutes: number;
  faults: readonly FaultKind[];
}

export const DEFAULT_CONFIG: Omit<SimConfig, 'seed'> = {
  servers: 4,
  users: 12,
  channels: 2,
  minutes: 2,
  faults: FAULT_KINDS,
};

/** Node timings: the defaults scaled down, so a virtual minute holds many gossip rounds. */
export const TIMING = {
  gossipInterval: 1000,
  /** The odd-numbered servers send their whole user list every this many intervals, newcomers between. */
  fullListEvery: 4,
  probeInterval: 50,
  relayWindow: 5000,
  replayWindow: 5000,
  userExpiry: 10_000,
  userTimeout: 200,
  retries: 3,
  keepAlive: 1000,
  findWait: 500,
  /** One-way delivery delay on the network, ms. */
  delayMs: 2,
} as const;

/** The bounds the checker judges by, in virtual ms. */
export const BOUNDS = {
  /** After the last fault, how long the network may take to settle (gossip, greetings, tie-breaks). */
  settle: 10_000,
  /** A SEND or CSEND answered +OK reaches its recipients within this. */
  deliver: 2000,
  /** A user gone without EXIT may still be found this long (expiry plus gossip rounds). */
  departed: TIMING.userExpiry + 6 * TIMING.gossipInterval,
  /** Users of a restarted server are home within this after it is up. */
  home: 10_000,
  /**
   * A lost node (no backup took it) is on a server again within this after the faults around its
   * loss end: it asks again with a doubling pause (T up to 30 s, 8 rounds: src/node/user/rejoin.ts);
   * with T = 200 ms the pause after 20 s is at most 25.6 s, plus a round of PREFERREDs.
   */
  rejoin: 30_000,
  /** Judged only when the faults around the loss ended within this of it, while rounds remain. */
  rejoinJudged: 20_000,
  /** Datagrams one node may send in one virtual second. */
  sentPerSecond: 1000,
  /** The largest datagram. */
  datagramBytes: 1400,
} as const;
