/**
 * Packets as plain, JSON-safe objects: one interface per Section IV production, unions tagged by a
 * literal field (`kind` for packets and addresses, `verb` for commands) so a `switch` narrows them.
 */

/** `SERVER Alias IPAddress Port`: a server and the unicast address it listens on. */
export interface Server {
  kind: 'Server';
  alias: string;
  /** Normalized dotted quad, e.g. `"10.1.0.99"`. */
  ip: string;
  port: number;
}

/** `USERNODE Alias IPAddress Port`: a user node and its reply address. */
export interface UserNode {
  kind: 'UserNode';
  alias: string;
  ip: string;
  port: number;
}

/** `DISCOVER Alias`: a starting server announces its alias to find neighbours and collisions. */
export interface DiscoverCommand {
  verb: 'DISCOVER';
  alias: string;
}
/** `KNOWNUSERS UserNode*`: the user nodes attached to the sending server. */
export interface KnownUsersCommand {
  verb: 'KNOWNUSERS';
  users: UserNode[];
}
/** `KNOWNSERVERS Server*`: the neighbours of the sending server. */
export interface KnownServersCommand {
  verb: 'KNOWNSERVERS';
  servers: Server[];
}
/** `PREFERRED Server`: from a server, asks who prefers it; from a user, names its home server. */
export interface PreferredCommand {
  verb: 'PREFERRED';
  server: Server;
}
/** `JOINCHANNEL IPAddress Port`: invites a server onto another multicast channel. */
export interface JoinChannelCommand {
  verb: 'JOINCHANNEL';
  ip: string;
  port: number;
}

/** Section IV `SCommand`. */
export type SCommand =
  | DiscoverCommand
  | KnownUsersCommand
  | KnownServersCommand
  | PreferredCommand
  | JoinChannelCommand;

/** `FIND Alias` or `REMOVE Alias`. */
export interface AliasCommand {
  verb: 'FIND' | 'REMOVE';
  alias: string;
}
/** `CREATEROOM`, `JOINROOM`, `LEAVEROOM` or `ULIST` with a RoomName. */
export interface RoomCommand {
  verb: 'CREATEROOM' | 'JOINROOM' | 'LEAVEROOM' | 'ULIST';
  room: string;
}
/** `LISTROOMS`, `EXIT` or `LIST`: no arguments. */
export interface BareCommand {
  verb: 'LISTROOMS' | 'EXIT' | 'LIST';
}
/** `CSEND Message`: a message to the sender's current room. */
export interface CsendCommand {
  verb: 'CSEND';
  /** The content only: no `MESSAGE` word, no NUL. */
  message: string;
}
/** `ALIAS UserNode` or `SETALIAS UserNode`. */
export interface UserAliasCommand {
  verb: 'ALIAS' | 'SETALIAS';
  user: UserNode;
}
/** `SEND Alias Message`: a direct message. */
export interface SendCommand {
  verb: 'SEND';
  alias: string;
  message: string;
}

/** Section IV `UCommand`. */
export type UCommand =
  | AliasCommand
  | PreferredCommand
  | RoomCommand
  | BareCommand
  | CsendCommand
  | UserAliasCommand
  | SendCommand;

/** `Server SCommand`. */
export interface ServerCommand {
  kind: 'ServerCommand';
  sender: Server;
  command: SCommand;
}

/** `UserNode UCommand`. */
export interface UserCommand {
  kind: 'UserCommand';
  sender: UserNode;
  command: UCommand;
}

/** Section IV `Command`. */
export type Command = ServerCommand | UserCommand;

/** Section IV `Status`. */
export type Status = '+OK' | '-ERR';

/** `SERVERREPLY Server Status Command Server* UserNode* Message*`. */
export interface ServerReply {
  kind: 'ServerReply';
  sender: Server;
  status: Status;
  /** The command replied to, usually echoed verbatim. */
  command: Command;
  servers: Server[];
  users: UserNode[];
  /** Message contents only. */
  messages: string[];
}

/** Everything that travels on the wire: one per datagram. */
export type Packet = Command | ServerReply;
