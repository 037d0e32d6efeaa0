import type { Command, Packet, SCommand, Server, ServerReply, UCommand, UserNode } from './ast.ts';
import { SerializeError } from './errors.ts';
import { isAlias } from './values.ts';

/**
 * Writes a packet as canonical wire text: tokens joined by single spaces, a Message as
 * `MESSAGE ` + content + NUL, normalized IPs, ports padded to 4 digits, no trailing newline.
 * Every field is checked first, so the text always parses back to the same packet.
 *
 * @throws SerializeError naming the field (e.g. `sender.port`) that cannot be written.
 * @example
 * serialize({ kind: 'UserCommand', sender: { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 },
 *             command: { verb: 'FIND', alias: 'alice' } });
 * // 'USERNODE bob 127.0.0.1 5001 FIND alice'
 */
export function serialize(packet: Packet): string {
  if (!isObject(packet)) fail('', 'a packet must be an object');
  switch (packet.kind) {
    case 'ServerCommand':
    case 'UserCommand':
      return command(packet, OWN);
    case 'ServerReply':
      return serverReply(packet);
    default:
      return fail(
        'kind',
        `expected ServerCommand, UserCommand or ServerReply, got ${show((packet as { kind: unknown }).kind)}`,
      );
  }
}

function serverReply(reply: ServerReply): string {
  if (reply.status !== '+OK' && reply.status !== '-ERR') {
    fail('status', `expected "+OK" or "-ERR", got ${show(reply.status)}`);
  }
  const servers = list(reply.servers, '', 'servers');
  const users = list(reply.users, '', 'users');
  const messages = list(reply.messages, '', 'messages');
  if (!isObject(reply.command)) fail('command', 'expected a Command object');
  checkUnambiguous(reply);
  let text = server(reply.sender, 'SERVERREPLY SERVER ', 'sender');
  text += reply.status === '+OK' ? ' +OK ' : ' -ERR ';
  text += command(reply.command, ECHOED);
  for (let i = 0; i < servers.length; i++) text += server(servers[i], ' SERVER ', 'servers', i);
  for (let i = 0; i < users.length; i++) text += userNode(users[i], ' USERNODE ', 'users', i);
  for (let i = 0; i < messages.length; i++) text += ` MESSAGE ${message(messages[i], 'messages', i, '')}\0`;
  return text;
}

/**
 * Lists are greedy on the wire (an echoed KNOWNSERVERS takes every Server after it, an echoed
 * KNOWNUSERS every UserNode), so two reply shapes would parse back differently. Refuse them.
 */
function checkUnambiguous(reply: ServerReply): void {
  const echoed = reply.command;
  if (echoed.kind !== 'ServerCommand' || !isObject(echoed.command)) return;
  if (echoed.command.verb === 'KNOWNSERVERS' && reply.servers.length > 0) {
    throw new SerializeError(
      'AMBIGUOUS_PACKET',
      'servers',
      'a ServerReply echoing KNOWNSERVERS cannot carry its own Servers: they would be read as part of the echoed list',
    );
  }
  if (echoed.command.verb === 'KNOWNUSERS' && reply.servers.length === 0 && reply.users.length > 0) {
    throw new SerializeError(
      'AMBIGUOUS_PACKET',
      'users',
      'a ServerReply echoing KNOWNUSERS cannot carry UserNodes without Servers before them: they would be read as part of the echoed list',
    );
  }
}

// Paths name the field that cannot be written (`command.users[2].port`). They are put together
// only for that error: built for every field of every packet, they were a third of serialize's
// time. A field is addressed by the path of its object, an index when that object is a list
// element (-1 otherwise), and the field's name ('' for the element itself).

function where(path: string, index: number, field: string): string {
  const item = index < 0 ? path : `${path}[${index}]`;
  if (field === '') return item;
  return item === '' ? field : `${item}.${field}`;
}

/**
 * The paths of a command's fields, made once for the two places a command can be: the packet
 * itself, and the command a ServerReply echoes. Joining them per packet cost about 5% of
 * serialize's time, most of it for replies.
 */
interface CommandPaths {
  kind: string;
  sender: string;
  command: string;
  users: string;
  servers: string;
  server: string;
  user: string;
}

function commandPaths(path: string): CommandPaths {
  const command = where(path, -1, 'command');
  return {
    kind: where(path, -1, 'kind'),
    sender: where(path, -1, 'sender'),
    command,
    users: where(command, -1, 'users'),
    servers: where(command, -1, 'servers'),
    server: where(command, -1, 'server'),
    user: where(command, -1, 'user'),
  };
}

const OWN = commandPaths('');
const ECHOED = commandPaths('command');

// Text is built by concatenation, and each `+` makes a string, so the pieces are as few as the
// wire allows: the space before a token travels with it (a command's text starts with ` VERB`,
// a Port's with its space) and constant tokens are written as one literal ('SERVERREPLY SERVER ').

function command(packet: Command, at: CommandPaths): string {
  if (packet.kind === 'ServerCommand') {
    return server(packet.sender, 'SERVER ', at.sender) + sCommand(packet.command, at);
  }
  if (packet.kind === 'UserCommand') {
    return userNode(packet.sender, 'USERNODE ', at.sender) + uCommand(packet.command, at);
  }
  return fail(
    at.kind,
    `expected ServerCommand or UserCommand, got ${show((packet as { kind: unknown }).kind)}`,
  );
}

/** The command's text, starting with the space before its verb. */
function sCommand(c: SCommand, at: CommandPaths): string {
  const path = at.command;
  if (!isObject(c)) fail(path, 'expected a server command object');
  switch (c.verb) {
    case 'DISCOVER':
      return ` DISCOVER ${name(c.alias, path, -1, 'alias')}`;
    case 'KNOWNUSERS': {
      const users = list(c.users, path, 'users');
      let text = ' KNOWNUSERS';
      for (let i = 0; i < users.length; i++) text += userNode(users[i], ' USERNODE ', at.users, i);
      return text;
    }
    case 'KNOWNSERVERS': {
      const servers = list(c.servers, path, 'servers');
      let text = ' KNOWNSERVERS';
      for (let i = 0; i < servers.length; i++) text += server(servers[i], ' SERVER ', at.servers, i);
      return text;
    }
    case 'PREFERRED':
      return server(c.server, ' PREFERRED SERVER ', at.server);
    case 'JOINCHANNEL':
      return ` JOINCHANNEL ${ip(c.ip, path, -1, 'ip')}${port(c.port, path, -1, 'port')}`;
    default:
      return fail(where(path, -1, 'verb'), `unknown server command ${show((c as { verb: unknown }).verb)}`);
  }
}

/** The command's text, starting with the space before its verb. */
function uCommand(c: UCommand, at: CommandPaths): string {
  const path = at.command;
  if (!isObject(c)) fail(path, 'expected a user command object');
  switch (c.verb) {
    case 'FIND':
      return ` FIND ${name(c.alias, path, -1, 'alias')}`;
    case 'REMOVE':
      return ` REMOVE ${name(c.alias, path, -1, 'alias')}`;
    case 'PREFERRED':
      return server(c.server, ' PREFERRED SERVER ', at.server);
    case 'CREATEROOM':
      return ` CREATEROOM ${name(c.room, path, -1, 'room')}`;
    case 'JOINROOM':
      return ` JOINROOM ${name(c.room, path, -1, 'room')}`;
    case 'LEAVEROOM':
      return ` LEAVEROOM ${name(c.room, path, -1, 'room')}`;
    case 'ULIST':
      return ` ULIST ${name(c.room, path, -1, 'room')}`;
    case 'LISTROOMS':
      return ' LISTROOMS';
    case 'EXIT':
      return ' EXIT';
    case 'LIST':
      return ' LIST';
    case 'CSEND':
      return ` CSEND MESSAGE ${message(c.message, path, -1, 'message')}\0`;
    case 'ALIAS':
      return userNode(c.user, ' ALIAS USERNODE ', at.user);
    case 'SETALIAS':
      return userNode(c.user, ' SETALIAS USERNODE ', at.user);
    case 'SEND': {
      const alias = name(c.alias, path, -1, 'alias');
      return ` SEND ${alias} MESSAGE ${message(c.message, path, -1, 'message')}\0`;
    }
    default:
      return fail(where(path, -1, 'verb'), `unknown user command ${show((c as { verb: unknown }).verb)}`);
  }
}

/** `lead` is the text before the Server's alias: its keyword and whatever precedes that. */
function server(s: Server | undefined, lead: string, path: string, index = -1): string {
  if (!isObject(s) || s.kind !== 'Server')
    fail(where(path, index, ''), 'expected a Server ({ kind: "Server", alias, ip, port })');
  return address(s, lead, path, index);
}

/** `lead` is the text before the UserNode's alias: its keyword and whatever precedes that. */
function userNode(u: UserNode | undefined, lead: string, path: string, index = -1): string {
  if (!isObject(u) || u.kind !== 'UserNode')
    fail(where(path, index, ''), 'expected a UserNode ({ kind: "UserNode", alias, ip, port })');
  return address(u, lead, path, index);
}

function address(a: Server | UserNode, lead: string, path: string, index: number): string {
  return `${lead}${name(a.alias, path, index, 'alias')} ${ip(a.ip, path, index, 'ip')}${port(a.port, path, index, 'port')}`;
}

// Alias => [A-Za-z0-9]+ and RoomName => [A-Za-z0-9]+, checked as the parser reads them (values.ts).
function name(value: unknown, path: string, index: number, field: string): string {
  if (!isAlias(value)) {
    fail(where(path, index, field), `expected one or more of A-Z, a-z, 0-9, got ${show(value)}`);
  }
  return value;
}

// A normalized dotted quad: what parse produces, so the text reads back to the same string.
function ip(value: unknown, path: string, index: number, field: string): string {
  if (typeof value !== 'string' || !isNormalizedIp(value)) {
    fail(
      where(path, index, field),
      `expected a dotted quad without leading zeros (e.g. "10.1.0.99"), got ${show(value)}`,
    );
  }
  return value;
}

/**
 * Four Bytes of 0-255 joined by dots, each without leading zeros. Runs for every address of every
 * packet (the costliest check in bench/codec.ts's serialize), so it reads each character once.
 */
function isNormalizedIp(value: string): boolean {
  const length = value.length;
  if (length < 7 || length > 15) return false;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (value.charCodeAt(i) !== 46) return false; // .
      i++;
    }
    if (i >= length) return false;
    let byte = value.charCodeAt(i) - 48;
    if (byte < 0 || byte > 9) return false;
    i++;
    // A 0 stands alone: a digit after it is a leading zero, and fails as the next dot.
    if (byte === 0) continue;
    const end = Math.min(i + 2, length);
    for (; i < end; i++) {
      const digit = value.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      byte = byte * 10 + digit;
    }
    if (byte > 255) return false;
  }
  return i === length;
}

function port(value: unknown, path: string, index: number, field: string): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    fail(where(path, index, field), `expected an integer from 0 to 65535, got ${show(value)}`);
  }
  return PORT_TEXT[value] ?? portText(value);
}

/**
 * The wire text of each Port with the space before it (` 0080`), made the first time it is
 * written: converting the number took about a tenth of serialize's time, and the same ports recur
 * in packet after packet. One slot per Port, allocated up front so the array keeps fast elements
 * (about 512 kB).
 */
const PORT_TEXT: (string | undefined)[] = new Array(65536).fill(undefined);

function portText(value: number): string {
  // Port => [0-6]?[0-9][0-9][0-9][0-9]: at least 4 digits on the wire.
  const text = ` ${value < 1000 ? String(value).padStart(4, '0') : String(value)}`;
  PORT_TEXT[value] = text;
  return text;
}

function message(value: unknown, path: string, index: number, field: string): string {
  if (typeof value !== 'string') fail(where(path, index, field), `expected a string, got ${show(value)}`);
  if (value.includes('\0'))
    fail(where(path, index, field), 'a message cannot contain NUL: NUL ends it on the wire');
  if (!value.isWellFormed())
    fail(where(path, index, field), 'a message must be well-formed Unicode (no lone surrogates)');
  // The caller writes `MESSAGE ` before it and NUL after it, next to its own tokens.
  return value;
}

function list<T>(value: T[] | undefined, path: string, field: string): T[] {
  if (!Array.isArray(value)) fail(where(path, -1, field), `expected an array, got ${show(value)}`);
  return value;
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function fail(path: string, reason: string): never {
  throw new SerializeError('INVALID_PACKET', path, reason);
}
