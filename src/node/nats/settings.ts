/**
 * The NATS client's connection settings. The client's defaults are made for long-lived services
 * that can wait: a 2 s reconnect wait lost about 1.2 s of messages when a node was SIGKILLed, a
 * frozen node was noticed only after minutes of pings, and the 20 s dial timeout then delayed the
 * reconnect further. Chat needs a dead or frozen node to cost about a second (measured in
 * test/node/nats/failover.test.ts and bench/nats.ts, recorded in docs/network.md).
 */

/** How a NATS transport connects, pings and reconnects. Times in milliseconds. */
export interface NatsConnectionSettings {
  /** Wait between reconnect attempts to one server. Client default 2000. */
  reconnectTimeWait: number;
  /** Random delay added to `reconnectTimeWait`, so a cluster's clients do not reconnect at once. */
  reconnectJitter: number;
  /** Time between the client's pings. Client default 120000. */
  pingInterval: number;
  /** Pings left unanswered before the connection is taken as stale and replaced. Client default 2. */
  maxPingOut: number;
  /** How long one dial (TCP connect and handshake) may take. Client default 20000. */
  timeout: number;
  /**
   * After a reconnect, what was published while disconnected and this long before the loss was
   * noticed is published again (it may have died with the node; recent-sends.ts); 0: nothing.
   * At least the time pings take to notice a frozen node, `pingInterval` x (`maxPingOut` + 1).
   */
  resendWindow: number;
}

/**
 * The settings used unless told otherwise. A dead node refuses the reconnect at once; a frozen one
 * is noticed after at most `pingInterval` x (`maxPingOut` + 1) = 0.9 s, and the dial that may
 * still try it gives up after `timeout`. Repeats published again arrive within about 1.7 s of
 * their first copy, inside the user node's 2 s duplicate window and the servers' 5 s relay window.
 */
export const DEFAULT_NATS_SETTINGS: Readonly<NatsConnectionSettings> = {
  reconnectTimeWait: 250,
  reconnectJitter: 50,
  pingInterval: 300,
  maxPingOut: 2,
  timeout: 500,
  resendWindow: 1200,
};
