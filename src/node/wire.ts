/**
 * Packets to datagrams and back, through the codec's public API only: every packet on the wire is
 * produced by `serialize` and read by `safeParse`.
 */
import type { Command, Packet, Server, ServerReply, Status, UserNode } from '../ast.ts';
import { type ParseResult, safeParse } from '../parse.ts';
import { serialize } from '../serialize.ts';
import { cutEcho } from './echo.ts';
import type { Endpoint } from './transport.ts';

const encoder = new TextEncoder();

/**
 * The datagram for a packet: its canonical text, padded with trailing spaces to `padTo` bytes
 * when given (whitespace after a packet is ignored; see credit.ts for why a sender pads).
 */
export function encode(packet: Packet, padTo = 0): Uint8Array {
  const text = serialize(packet);
  const bytes = encoder.encode(text);
  if (bytes.length >= padTo) return bytes;
  const padded = new Uint8Array(padTo).fill(0x20);
  padded.set(bytes);
  return padded;
}

/** The packet a datagram holds, or the ProtocolError saying why it is none. */
export function decode(data: Uint8Array): ParseResult {
  return safeParse(data);
}

/**
 * Sizes the datagrams a server opens a conversation with are padded to: a server answers a source
 * it does not know with at most three times the bytes that source sent (server/credit.ts), so a
 * DISCOVER probe is padded to hold a long answer at once, a greeting a little. Padding is never
 * required: the reference user node does not pad its PREFERRED, whose first +OK then lists only
 * the neighbours it paid for; one padded to `preferred` gets the whole list in it.
 */
export const PADDED = { preferred: 1200, discover: 256, greeting: 128 } as const;

/**
 * The largest datagram a node sends (typical Ethernet MTU less IP/UDP headers, with margin): lists
 * are split or cut to fit it.
 */
export const MAX_DATAGRAM = 1400;

/**
 * The largest datagram a node accepts: the most a UDP datagram over IPv4 carries (65,535 less
 * the IP and UDP headers). Other implementations need not split what they send, so a node takes
 * whatever UDP carries and sends within MAX_DATAGRAM (the robustness principle, RFC 1122 1.2.2).
 */
export const MAX_UDP_PAYLOAD = 65_507;

/**
 * Servers in a user's failover list: a server tells its users at most this many of its
 * neighbours, and a user keeps at most this many. Failover tries each for N x T, so a longer
 * list would only keep a user from giving up.
 */
export const FAILOVER_LIST = 16;

export function serverAt(alias: string, at: Endpoint): Server {
  return { kind: 'Server', alias, ip: at.ip, port: at.port };
}

export function userAt(alias: string, at: Endpoint): UserNode {
  return { kind: 'UserNode', alias, ip: at.ip, port: at.port };
}

/** Extra lists a ServerReply carries after the echoed command. */
export interface ReplyLists {
  servers?: Server[];
  users?: UserNode[];
  messages?: string[];
}

export function reply(sender: Server, status: Status, command: Command, lists: ReplyLists = {}): ServerReply {
  return {
    kind: 'ServerReply',
    sender,
    status,
    command,
    servers: lists.servers ?? [],
    users: lists.users ?? [],
    messages: lists.messages ?? [],
  };
}

/** A stable key for "the same command": its canonical text. */
export function commandKey(command: Command): string {
  return serialize(command);
}

/**
 * Splits items into groups whose packets stay within MAX_DATAGRAM bytes. `size` is an item's
 * length on the wire plus its separator; `base` the packet's length without any item.
 */
export function chunk<T>(items: readonly T[], base: number, size: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let length = base;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && length + n > MAX_DATAGRAM) {
      chunks.push(current);
      current = [];
      length = base;
    }
    current.push(item);
    length += n;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** Wire length of `SERVER|USERNODE alias ip port` plus one separator. */
export function addressSize(node: Server | UserNode): number {
  const keyword = node.kind === 'Server' ? 6 : 8;
  return keyword + 1 + node.alias.length + 1 + node.ip.length + 1 + Math.max(4, String(node.port).length) + 1;
}

/** Bytes of a packet on the wire, unpadded. */
export function encodedLength(packet: Packet): number {
  return encoder.encode(serialize(packet)).length;
}

/** Wire length of `MESSAGE text\0` plus one separator. */
function messageSize(text: string): number {
  return 8 + encoder.encode(text).length + 1 + 1;
}

/** Bytes kept for a reply's own lists (a -ERR's reason) when its echoed command must be cut. */
const REASON_ROOM = 300;

/**
 * `packet` with its echoed command cut (echo.ts) when the command alone leaves less than
 * REASON_ROOM bytes (or what its lists need, if less) within MAX_DATAGRAM: a request near or over
 * the datagram limit is still answered. Undefined when even a cut echo does not fit.
 */
function withEchoThatFits(packet: ServerReply): ServerReply | undefined {
  const bare: ServerReply = { ...packet, servers: [], users: [], messages: [] };
  const lists = encodedLength(packet) - encodedLength(bare);
  const excess = encodedLength(bare) + Math.min(lists, REASON_ROOM) - MAX_DATAGRAM;
  if (excess <= 0) return packet;
  const command = cutEcho(packet.command, excess);
  return command ? { ...packet, command } : undefined;
}

/**
 * A reply cut to fit MAX_DATAGRAM: its lists keep as many entries as fit, in order (servers,
 * then users, then messages), and a last Message says how many were left out, e.g. `12 more not
 * listed: a reply is at most 1400 bytes` (never a valid Alias or RoomName, so a reader can tell it
 * from the list). A reply that fits is returned as it is; one whose echoed command leaves too
 * little room echoes it cut (echo.ts); one that fits even so is undefined: it is not sent.
 */
export function fitToDatagram(whole: ServerReply): ServerReply | undefined {
  const packet = withEchoThatFits(whole);
  if (packet === undefined) return undefined;
  if (encodedLength(packet) <= MAX_DATAGRAM) return packet;
  const bare: ServerReply = { ...packet, servers: [], users: [], messages: [] };
  const note = (n: number) => `${n} more not listed: a reply is at most ${MAX_DATAGRAM} bytes`;
  const total = packet.servers.length + packet.users.length + packet.messages.length;
  let room = MAX_DATAGRAM - encodedLength(bare);
  if (room < 0) return undefined;
  // Room for the note, with the largest count it can show.
  if (room < messageSize(note(total))) return bare;
  room -= messageSize(note(total));
  let full = true;
  const take = <T>(items: readonly T[], size: (item: T) => number): T[] => {
    const kept: T[] = [];
    for (const item of items) {
      const n = size(item);
      if (!full || n > room) {
        full = false;
        break;
      }
      room -= n;
      kept.push(item);
    }
    return kept;
  };
  const servers = take(packet.servers, addressSize);
  const users = take(packet.users, addressSize);
  const messages = take(packet.messages, messageSize);
  const left = total - servers.length - users.length - messages.length;
  return { ...packet, servers, users, messages: [...messages, note(left)] };
}
