/**
 * A hand-written recursive-descent parser for Section IV: the benchmark baseline ("the hand-written
 * limit") that `parse` is measured against. It is not shipped and not exported by the package.
 *
 * It reads the text once by character code with one position index (no regular expressions, no
 * `split`, no Chevrotain) and builds the same packet objects as `parse`, property for property.
 * test/handwritten.test.ts holds it equal to `parse`: the same packet for every input `parse`
 * accepts, and an error (a plain Error, no codes or positions) for every input it rejects.
 *
 * Strings only. The wire decisions of docs/protocol.md apply as `parse` implements them.
 */
import type {
  Command,
  Packet,
  SCommand,
  Server,
  ServerReply,
  Status,
  UCommand,
  UserNode,
} from '../../src/index.ts';

// The parser state: the text, the position, the length. Module-level, as one call parses one text.
let text = '';
let pos = 0;
let len = 0;

const NUL = 0;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

function fail(what: string): never {
  throw new Error(`${what} at offset ${pos}`);
}

// Past the end charCodeAt gives NaN, which no comparison matches: the end is no character at all.

/** Space, tab, CR, LF: the only separators (decision 3). */
function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** `[A-Za-z0-9]` by table, ASCII only. */
const WORD = new Uint8Array(128);
for (let c = ZERO; c <= NINE; c++) WORD[c] = 1;
for (let c = 65; c <= 90; c++) WORD[c] = WORD[c + 32] = 1;
function isWordChar(c: number): boolean {
  return c < 128 && WORD[c] === 1;
}

/** Skips whitespace, none required: at the start and after a Message, whose NUL ends it. */
function skipSpace(): void {
  const t = text;
  let i = pos;
  while (isSpace(t.charCodeAt(i))) i++;
  pos = i;
}

/** After any other token: the end of the text, or at least one whitespace character. */
function separator(): void {
  if (pos < len) {
    if (!isSpace(text.charCodeAt(pos))) fail('expected whitespace');
    const t = text;
    let i = pos + 1;
    while (isSpace(t.charCodeAt(i))) i++;
    pos = i;
  }
}

/** The end of the word (`[A-Za-z0-9]*`) starting at `pos`. */
function wordEnd(): number {
  const t = text;
  let i = pos;
  while (isWordChar(t.charCodeAt(i))) i++;
  return i;
}

/** True when the word at `pos` is exactly `keyword`. */
function atKeyword(keyword: string): boolean {
  return text.startsWith(keyword, pos) && !isWordChar(text.charCodeAt(pos + keyword.length));
}

/** True when the word at `start`, `length` long, is `keyword`. */
function is(keyword: string, start: number, length: number): boolean {
  return length === keyword.length && text.startsWith(keyword, start);
}

function keyword(word: string): void {
  if (!atKeyword(word)) fail(`expected ${word}`);
  pos += word.length;
  separator();
}

// Alias => [A-Za-z0-9]+   and   RoomName => [A-Za-z0-9]+   (keywords, digits and MESSAGE included)
function name(): string {
  const start = pos;
  const end = wordEnd();
  if (end === start) fail('expected a name');
  pos = end;
  separator();
  return text.slice(start, end);
}

// Byte => [0-2]?[0-9]?[0-9], at most 255. Three digits above 255 cover the [0-2] rule.
function byte(): number {
  const t = text;
  const start = pos;
  let i = start;
  let value = 0;
  let c = t.charCodeAt(i);
  while (c >= ZERO && c <= NINE) {
    value = value * 10 + c - ZERO;
    c = t.charCodeAt(++i);
  }
  pos = i;
  const digits = i - start;
  // A letter after the digits makes the whole run a word, not a Byte.
  if (digits === 0 || digits > 3 || value > 255 || isWordChar(c)) fail('expected a Byte');
  return value;
}

/** The dot between two Bytes: no whitespace on either side (decision 3). */
function dot(): void {
  if (text.charCodeAt(pos) !== DOT)
    fail(isSpace(text.charCodeAt(pos)) ? 'whitespace inside an IPAddress' : 'expected "."');
  if (isSpace(text.charCodeAt(++pos))) fail('whitespace inside an IPAddress');
}

// IPAddress => [Byte].[Byte].[Byte].[Byte], normalized (no leading zeros)
function ipAddress(): string {
  // Fast path: four Bytes without leading zeros, joined by dots, so the text is the value.
  const t = text;
  const start = pos;
  let i = start;
  for (let part = 0; part < 4; part++) {
    const first = i;
    let value = 0;
    let c = t.charCodeAt(i);
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + c - ZERO;
      c = t.charCodeAt(++i);
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && t.charCodeAt(first) === ZERO))
      return irregularIpAddress();
    if (part < 3) {
      if (c !== DOT) return irregularIpAddress();
      i++;
    }
  }
  pos = i;
  const ip = t.slice(start, i);
  separator();
  return ip;
}

/** Any other IPAddress, read again from `pos`: leading zeros, spaced dots, or an error. */
function irregularIpAddress(): string {
  const a = byte();
  dot();
  const b = byte();
  dot();
  const c = byte();
  dot();
  const d = byte();
  separator();
  return `${a}.${b}.${c}.${d}`;
}

// Port => [0-6]?[0-9][0-9][0-9][0-9], at most 65535. Five digits above 65535 cover the [0-6] rule.
function port(): number {
  const t = text;
  const start = pos;
  let i = start;
  let value = 0;
  let c = t.charCodeAt(i);
  while (c >= ZERO && c <= NINE) {
    value = value * 10 + c - ZERO;
    c = t.charCodeAt(++i);
  }
  pos = i;
  const digits = i - start;
  if (digits < 4 || digits > 5 || value > 65535 || isWordChar(c)) fail('expected a Port');
  separator();
  return value;
}

// Server => SERVER [Alias] [IPAddress] [Port]
function server(): Server {
  keyword('SERVER');
  return serverRest();
}

/** The rest of a Server, its keyword read. */
function serverRest(): Server {
  const alias = name();
  const ip = ipAddress();
  return { kind: 'Server', alias, ip, port: port() };
}

// UserNode => USERNODE [Alias] [IPAddress] [Port]
function userNode(): UserNode {
  keyword('USERNODE');
  return userNodeRest();
}

/** The rest of a UserNode, its keyword read. */
function userNodeRest(): UserNode {
  const alias = name();
  const ip = ipAddress();
  return { kind: 'UserNode', alias, ip, port: port() };
}

const MESSAGE_LENGTH = 7; // 'MESSAGE'

/** True at the word MESSAGE where a Message may start (never in a name slot: names use `name`). */
function atMessage(): boolean {
  return atKeyword('MESSAGE');
}

// Message => MESSAGE [^\0]*[\0]: the word, one optional space, the content, a required NUL.
function message(): string {
  if (!atMessage()) fail('expected a Message');
  const after = text.charCodeAt(pos + MESSAGE_LENGTH);
  if (after === NUL) {
    pos += MESSAGE_LENGTH + 1;
    skipSpace();
    return '';
  }
  if (after !== SPACE) fail('expected one space or NUL after MESSAGE');
  const start = pos + MESSAGE_LENGTH + 1;
  const nul = text.indexOf('\0', start);
  if (nul === -1) fail('Message is not terminated by NUL');
  const content = text.slice(start, nul);
  // Text must be UTF-8: a lone surrogate has no UTF-8 form. Outside a Message only ASCII is valid.
  if (!content.isWellFormed()) fail('lone surrogate');
  pos = nul + 1;
  skipSpace();
  return content;
}

// SCommand => DISCOVER [Alias] | KNOWNUSERS [UserNode]* | KNOWNSERVERS [Server]*
//           | PREFERRED [Server] | JOINCHANNEL [IPAddress] [Port]
function sCommand(): SCommand {
  const start = pos;
  const end = wordEnd();
  const length = end - start;
  pos = end;
  switch (text.charCodeAt(start)) {
    case 68: // D
      if (is('DISCOVER', start, length)) {
        separator();
        return { verb: 'DISCOVER', alias: name() };
      }
      break;
    case 75: // K
      if (is('KNOWNUSERS', start, length)) {
        separator();
        const users: UserNode[] = [];
        while (atKeyword('USERNODE')) {
          pos += 8;
          separator();
          users.push(userNodeRest());
        }
        return { verb: 'KNOWNUSERS', users };
      }
      if (is('KNOWNSERVERS', start, length)) {
        separator();
        const servers: Server[] = [];
        while (atKeyword('SERVER')) {
          pos += 6;
          separator();
          servers.push(serverRest());
        }
        return { verb: 'KNOWNSERVERS', servers };
      }
      break;
    case 80: // P
      if (is('PREFERRED', start, length)) {
        separator();
        return { verb: 'PREFERRED', server: server() };
      }
      break;
    case 74: // J
      if (is('JOINCHANNEL', start, length)) {
        separator();
        const ip = ipAddress();
        return { verb: 'JOINCHANNEL', ip, port: port() };
      }
      break;
  }
  pos = start;
  return fail('expected a server command');
}

// UCommand => FIND [Alias] | PREFERRED [Server] | CREATEROOM [RoomName] | JOINROOM [RoomName]
//           | LEAVEROOM [RoomName] | ULIST [RoomName] | LISTROOMS | CSEND [Message] | EXIT
//           | ALIAS [UserNode] | REMOVE [Alias] | SEND [Alias] [Message] | LIST | SETALIAS [UserNode]
function uCommand(): UCommand {
  const start = pos;
  const end = wordEnd();
  const length = end - start;
  pos = end;
  switch (text.charCodeAt(start)) {
    case 70: // F
      if (is('FIND', start, length)) {
        separator();
        return { verb: 'FIND', alias: name() };
      }
      break;
    case 80: // P
      if (is('PREFERRED', start, length)) {
        separator();
        return { verb: 'PREFERRED', server: server() };
      }
      break;
    case 67: // C
      if (is('CSEND', start, length)) {
        separator();
        return { verb: 'CSEND', message: message() };
      }
      if (is('CREATEROOM', start, length)) {
        separator();
        return { verb: 'CREATEROOM', room: name() };
      }
      break;
    case 74: // J
      if (is('JOINROOM', start, length)) {
        separator();
        return { verb: 'JOINROOM', room: name() };
      }
      break;
    case 76: // L
      if (is('LIST', start, length)) {
        separator();
        return { verb: 'LIST' };
      }
      if (is('LISTROOMS', start, length)) {
        separator();
        return { verb: 'LISTROOMS' };
      }
      if (is('LEAVEROOM', start, length)) {
        separator();
        return { verb: 'LEAVEROOM', room: name() };
      }
      break;
    case 85: // U
      if (is('ULIST', start, length)) {
        separator();
        return { verb: 'ULIST', room: name() };
      }
      break;
    case 69: // E
      if (is('EXIT', start, length)) {
        separator();
        return { verb: 'EXIT' };
      }
      break;
    case 65: // A
      if (is('ALIAS', start, length)) {
        separator();
        return { verb: 'ALIAS', user: userNode() };
      }
      break;
    case 82: // R
      if (is('REMOVE', start, length)) {
        separator();
        return { verb: 'REMOVE', alias: name() };
      }
      break;
    case 83: // S
      if (is('SEND', start, length)) {
        separator();
        const alias = name();
        return { verb: 'SEND', alias, message: message() };
      }
      if (is('SETALIAS', start, length)) {
        separator();
        return { verb: 'SETALIAS', user: userNode() };
      }
      break;
  }
  pos = start;
  return fail('expected a user command');
}

// Command => [Server] [SCommand] | [UserNode] [UCommand]
function command(): Command {
  if (atKeyword('SERVER')) {
    pos += 6;
    separator();
    const sender = serverRest();
    return { kind: 'ServerCommand', sender, command: sCommand() };
  }
  if (atKeyword('USERNODE')) {
    pos += 8;
    separator();
    const sender = userNodeRest();
    return { kind: 'UserCommand', sender, command: uCommand() };
  }
  return fail('expected SERVER or USERNODE');
}

// Status => +OK | -ERR
function status(): Status {
  const c = text.charCodeAt(pos);
  if (c === PLUS && text.startsWith('+OK', pos)) {
    pos += 3;
    separator();
    return '+OK';
  }
  if (c === MINUS && text.startsWith('-ERR', pos)) {
    pos += 4;
    separator();
    return '-ERR';
  }
  return fail('expected +OK or -ERR');
}

// ServerReply => SERVERREPLY [Server] [Status] [Command] [Server]* [UserNode]* [Message]*
// Each list is greedy, as in `parse`: an echoed KNOWNUSERS or KNOWNSERVERS takes all it can.
function serverReply(): ServerReply {
  keyword('SERVERREPLY');
  const sender = server();
  const replyStatus = status();
  const echoed = command();
  const servers: Server[] = [];
  while (atKeyword('SERVER')) {
    pos += 6;
    separator();
    servers.push(serverRest());
  }
  const users: UserNode[] = [];
  while (atKeyword('USERNODE')) {
    pos += 8;
    separator();
    users.push(userNodeRest());
  }
  const messages: string[] = [];
  while (atMessage()) messages.push(message());
  return { kind: 'ServerReply', sender, status: replyStatus, command: echoed, servers, users, messages };
}

/** Parses one packet from text, as `parse` does; throws a plain Error for anything else. */
export function parseHandwritten(input: string): Packet {
  text = input;
  len = input.length;
  pos = 0;
  skipSpace();
  const packet: Packet = atKeyword('SERVERREPLY') ? serverReply() : command();
  if (pos !== len) fail('unexpected input after a complete packet');
  return packet;
}
