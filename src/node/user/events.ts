/** What a user node reports and returns. */
import type { Packet, Server, UserNode } from '../../ast.ts';
import type { RoomChange } from '../room-changes.ts';
import type { Endpoint } from '../transport.ts';
import type { SessionEvent, SessionStateName } from './session-table.ts';

export type { RoomChange } from '../room-changes.ts';

/** A chat message that reached this user node. */
export interface ChatMessage {
  /** `room`: CSEND to a room we are in; `direct`: SEND to one of our aliases. */
  kind: 'room' | 'direct';
  /** The sending user node. */
  from: UserNode;
  /** The message content. */
  text: string;
  /** The room, for room messages. */
  room?: string;
  /** The server that delivered it; absent when another user node sent it straight to us. */
  via?: Server;
}

/**
 * Someone's membership of a room we are in changed: `joined` (JOINROOM or CREATEROOM), `left`
 * (LEAVEROOM), `quit` (EXIT: every room at once, one notice per room), `split` (its server is cut
 * off from ours: IRC's netsplit) or `back` (its server can be reached again: netjoin).
 */
export interface RoomNotice {
  /** The room, one we are in. */
  room: string;
  /** The member the notice is about. */
  member: UserNode;
  /** What changed for that member. */
  change: RoomChange;
  /** The server that told us (our own). */
  via: Server;
}

/** What a user node reports; `user.on('message', (m) => ...)` is typed by this map. */
export interface UserEvents {
  /** A chat message arrived (also available from `messages()`). */
  message: [message: ChatMessage];
  /** Someone joined or left a room we are in, quit, or was cut off or came back (`RoomNotice`). */
  roomNotice: [notice: RoomNotice];
  /** The server sent its neighbours: the failover list. */
  servers: [servers: Server[]];
  /** This node moved: to a backup after its server failed, or home after the server recovered. */
  serverChanged: [to: Server, from: Server, reason: 'failover' | 'home'];
  /** The server failed and no backup took this node; requests now fail with NO_SERVER. */
  serverLost: [server: Server];
  /** `followRooms`: after a change of server, a room is ours again, joined or created anew. */
  roomRejoined: [room: string, server: Server, how: 'joined' | 'created'];
  /** `followRooms`: after a change of server, a room could not be joined or created there. */
  roomLost: [room: string, server: Server, error: Error];
  /** `followRooms`: every room has been rejoined or reported lost after a change of server. */
  roomsFollowed: [server: Server];
  /**
   * The session moved from one state to another by `event` (or stayed, as `registered` when
   * `start()` registers again). `user.state` is the state now.
   */
  state: [to: SessionStateName, from: SessionStateName, event: SessionEvent];
  /** A packet arrived and parsed: for tracing and tools. */
  packetIn: [packet: Packet, from: Endpoint];
  /** A packet is being sent. */
  packetOut: [packet: Packet, to: Endpoint];
  /** Something undecodable or unexpected arrived; the node carries on. */
  warning: [warning: Error];
  /** A socket problem the node survived. */
  error: [error: Error];
  /** `close()` was called; nothing more will come. */
  close: [];
}

/**
 * For every request method. `signal` stops waiting for the answer: the promise rejects with
 * `signal.reason` (an `AbortError` unless the signal says otherwise). A request already sent may
 * still take effect at the server.
 */
export interface RequestOptions {
  /** Stops waiting for the answer. */
  signal?: AbortSignal;
}

/** What became of a SEND the server took (a refusal rejects with REFUSED instead). */
export interface SendResult {
  /**
   * The recipient's server, once it took the message; undefined when the server could not
   * confirm it (a server it passed the message to stayed silent) or did not say (a spec-strict
   * server's bare `+OK`).
   */
  server: Server | undefined;
  /** The server's own words about it, e.g. `bob's server beta took it` or `not confirmed: ...`. */
  note: string;
}

/** Where FIND found a user. */
export interface Location {
  /** The server hosting the user. */
  server: Server;
  /** The user node's address, to which SEND may also go directly. */
  user: UserNode;
}
