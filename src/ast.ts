/**
 * Packets as plain, JSON-safe objects: one interface per Section IV production, unions tagged by a
 * literal field (`kind` for packets and addresses, `verb` for commands) so a `switch` narrows them.
 */

/** `SERVER Alias IPAddress Port`: a server and the unicast address it listens on. */
export interface Server {
  /** Tags an address: `'Server'` or `'UserNode'`. */
  kind: 'Server';
  /** The server's alias: letters and digits. */
  alias: string;
  /** Normalized dotted quad, e.g. `"10.1.0.99"`. */
  ip: string;
  /** UDP port, 0-65535. */
  port: number;
}

/** `USERNODE Alias IPAddress Port`: a user node and its reply address. */
export interface UserNode {
  /** Tags an address: `'Server'` or `'UserNode'`. */
  kind: 'UserNode';
  /** The user's alias: letters and digits. */
  alias: string;
  /** Normalized dotted quad, e.g. `"10.1.0.99"`. */
  ip: string;
  /** UDP port, 0-65535. */
  port: number;
}

/** `DISCOVER Alias`: a starting server announces its alias to find neighbours and collisions. */
export interface DiscoverCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'DISCOVER';
  /** The alias the sender claims. */
  alias: string;
}
/** `KNOWNUSERS UserNode*`: the user nodes attached to the sending server. */
export interface KnownUsersCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'KNOWNUSERS';
  /** Every user node the sender hosts; may be empty. */
  users: UserNode[];
}
/** `KNOWNSERVERS Server*`: the neighbours of the sending server. */
export interface KnownServersCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'KNOWNSERVERS';
  /** Every neighbour of the sender; may be empty. */
  servers: Server[];
}
/** `PREFERRED Server`: from a server, asks who prefers it; from a user, names its home server. */
export interface PreferredCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'PREFERRED';
  /** The server preferred (a user's home server, or the recovering server itself). */
  server: Server;
}
/** `JOINCHANNEL IPAddress Port`: invites a server onto another multicast channel. */
export interface JoinChannelCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'JOINCHANNEL';
  /** The channel's multicast group, a normalized dotted quad. */
  ip: string;
  /** The channel's UDP port. */
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
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'FIND' | 'REMOVE';
  /** The alias to find, or the sender's own alias to remove. */
  alias: string;
}
/** `CREATEROOM`, `JOINROOM`, `LEAVEROOM` or `ULIST` with a RoomName. */
export interface RoomCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'CREATEROOM' | 'JOINROOM' | 'LEAVEROOM' | 'ULIST';
  /** The room's name: letters and digits. */
  room: string;
}
/** `LISTROOMS`, `EXIT` or `LIST`: no arguments. */
export interface BareCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'LISTROOMS' | 'EXIT' | 'LIST';
}
/** `CSEND Message`: a message to the sender's current room. */
export interface CsendCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'CSEND';
  /** The content only: no `MESSAGE` word, no NUL. */
  message: string;
}
/** `ALIAS UserNode` or `SETALIAS UserNode`. */
export interface UserAliasCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'ALIAS' | 'SETALIAS';
  /** The alias added (ALIAS) or made current (SETALIAS), with the node's address. */
  user: UserNode;
}
/** `SEND Alias Message`: a direct message. */
export interface SendCommand {
  /** Tags the command; a `switch` on it narrows the union. */
  verb: 'SEND';
  /** The recipient's alias. */
  alias: string;
  /** The content only: no `MESSAGE` word, no NUL. */
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
  /** Tags the packet: a `switch` on `kind` narrows {@link Packet}. */
  kind: 'ServerCommand';
  /** The sending server; replies go to its address. */
  sender: Server;
  /** What the server asks. */
  command: SCommand;
}

/** `UserNode UCommand`. */
export interface UserCommand {
  /** Tags the packet: a `switch` on `kind` narrows {@link Packet}. */
  kind: 'UserCommand';
  /** The sending user node; replies go to its address. */
  sender: UserNode;
  /** What the user asks. */
  command: UCommand;
}

/** Section IV `Command`. */
export type Command = ServerCommand | UserCommand;

/** Section IV `Status`. */
export type Status = '+OK' | '-ERR';

/** `SERVERREPLY Server Status Command Server* UserNode* Message*`. */
export interface ServerReply {
  /** Tags the packet: a `switch` on `kind` narrows {@link Packet}. */
  kind: 'ServerReply';
  /** The replying server. */
  sender: Server;
  /** `+OK` or `-ERR`. */
  status: Status;
  /** The command replied to, usually echoed verbatim. */
  command: Command;
  /** Servers the reply lists (e.g. where a FIND's target is hosted); may be empty. */
  servers: Server[];
  /** User nodes the reply lists (e.g. a room's members); may be empty. */
  users: UserNode[];
  /** Message contents only. */
  messages: string[];
}

/** Everything that travels on the wire: one per datagram. */
export type Packet = Command | ServerReply;
