import type { Packet, Server, UserNode } from '../../ast.ts';
import type { Endpoint } from '../transport.ts';

/** What a server reports; `server.on('userAttached', (user) => ...)` is typed by this map. */
export interface ServerEvents {
  /** A server became a neighbour (answered our DISCOVER, or we answered its). */
  neighbourFound: [server: Server];
  /** A neighbour stayed silent for longer than it has shown it may, and did not answer a liveness probe. */
  neighbourLost: [server: Server];
  /** A user node registered with PREFERRED. */
  userAttached: [user: UserNode];
  /** A user node sent EXIT. */
  userLeft: [user: UserNode];
  /**
   * SETALIAS (`renamed`: `alias` is the old name), ALIAS (`added`) or REMOVE (`removed`) took
   * effect; `user` is the user as it is now.
   */
  userAliasChanged: [user: UserNode, change: 'renamed' | 'added' | 'removed', alias: string];
  /** A user node sent nothing for `userExpiry` ms and was dropped; `silentFor` in ms. */
  userExpired: [user: UserNode, silentFor: number];
  /** Recovery: an old neighbour hosts this user, who prefers us; we sent it PREFERRED. */
  userCalledHome: [user: UserNode, via: Server];
  /** A JOINCHANNEL (ours accepted, or another server's) changed the channels joined; `channels` as they are now. */
  channelsChanged: [channels: Endpoint[]];
  /** Our alias was refused (or lost a tie-break) and a new one is being probed. */
  aliasChanged: [from: string, to: string];
  /** Alias probing finished: the alias is ours. */
  ready: [server: Server];
  /** A packet arrived and parsed, before any check: for tracing and tools. */
  packetIn: [packet: Packet, from: Endpoint];
  /** A packet is being sent (once per destination). */
  packetOut: [packet: Packet, to: Endpoint];
  /** Something undecodable or refused arrived; the server carries on. */
  warning: [warning: Error];
  /** A socket problem the server survived. */
  error: [error: Error];
}
