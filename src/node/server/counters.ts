/** What a server has seen and done since it started; read `server.counters`, or SIGUSR1 in the CLI. */
export interface ServerCounters {
  /** Datagrams received, of any content. */
  received: number;
  /** Datagrams that were not a packet (ProtocolError), dropped. */
  undecodable: number;
  /** Datagrams larger than `limits.datagramBytes`, dropped unparsed. */
  oversize: number;
  /** Datagrams whose claimed sender does not match their source address. */
  spoofed: number;
  /** User commands from senders that have not sent PREFERRED. */
  unregistered: number;
  /** Requests repeated within the replay window: answered again, not acted on again. */
  repeats: number;
  /** Datagrams dropped because their source was over its rate budget. */
  rateLimited: number;
  /** Requests refused, or gossip entries and FINDs dropped, at one of the server's limits. */
  overLimit: number;
  /** Datagrams not sent because the unknown source that caused them had too little credit. */
  withheld: number;
  /** Datagrams not sent because their destination's byte budget (`rateLimits.sent`) was spent. */
  throttled: number;
  /** Answers to a DISCOVER this server did not send to their sender: ignored. */
  unsolicited: number;
  /** Datagrams sent. */
  sent: number;
}

/** Every counter at zero. */
export function zeroCounters(): ServerCounters {
  return {
    received: 0,
    undecodable: 0,
    oversize: 0,
    spoofed: 0,
    unregistered: 0,
    repeats: 0,
    rateLimited: 0,
    overLimit: 0,
    withheld: 0,
    throttled: 0,
    unsolicited: 0,
    sent: 0,
  };
}
