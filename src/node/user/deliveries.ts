/**
 * Chat messages that reach a user node. The specification does not say how a server delivers a
 * message, so both shapes a server may use are taken, from the node's current server only:
 * - a `+OK` echoing another user's SEND or CSEND (the reference server's way; a CSEND's one
 *   Message is the room), and
 * - the other user's SEND or CSEND itself, passed on from the server's address.
 * A SEND straight from another user node's own address (no server in the path) is taken too.
 */
import type { Packet, Server } from '../../ast.ts';
import { isRoomName } from '../../values.ts';
import { isRoomChange } from '../room-changes.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import type { ChatMessage, RoomNotice } from './events.ts';

/** The message `packet` from `from` delivers to the node at `self` on `server`, if it is one. */
export function deliveryOf(
  packet: Packet,
  from: Endpoint,
  self: Endpoint,
  server: Server,
): ChatMessage | undefined {
  if (packet.kind === 'UserCommand') {
    const command = packet.command;
    if (sameEndpoint(packet.sender, self)) return undefined;
    const byServer = sameEndpoint(from, server);
    if (!byServer && !sameEndpoint(packet.sender, from)) return undefined;
    const via = byServer ? { via: server } : {};
    if (command.verb === 'SEND')
      return { kind: 'direct', from: packet.sender, text: command.message, ...via };
    if (command.verb === 'CSEND' && byServer)
      return { kind: 'room', from: packet.sender, text: command.message, via: server };
    return undefined;
  }
  if (packet.kind !== 'ServerReply' || !sameEndpoint(from, server)) return undefined;
  const echoed = packet.command;
  if (echoed.kind !== 'UserCommand' || sameEndpoint(echoed.sender, self)) return undefined;
  const command = echoed.command;
  if (command.verb === 'CSEND') {
    // A room event between servers names the member's server; a delivery names none. One can
    // reach a user node only at an address a server's gone neighbour had: it is not for us.
    if (packet.servers.length > 0) return undefined;
    const room = packet.messages[0] ?? '';
    return { kind: 'room', from: echoed.sender, text: command.message, room, via: packet.sender };
  }
  if (command.verb === 'SEND') {
    return { kind: 'direct', from: echoed.sender, text: command.message, via: packet.sender };
  }
  return undefined;
}

/**
 * A room notice from our server: a `+OK` echoing another member's JOINROOM, CREATEROOM, LEAVEROOM
 * or EXIT whose Messages are the room and what changed (docs/protocol.md, "Rooms across the
 * network"). Anything else is not one.
 */
export function roomNoticeOf(
  packet: Packet,
  from: Endpoint,
  self: Endpoint,
  server: Server,
): RoomNotice | undefined {
  if (packet.kind !== 'ServerReply' || packet.status !== '+OK' || !sameEndpoint(from, server))
    return undefined;
  const echoed = packet.command;
  if (echoed.kind !== 'UserCommand' || sameEndpoint(echoed.sender, self)) return undefined;
  const verb = echoed.command.verb;
  if (verb !== 'JOINROOM' && verb !== 'CREATEROOM' && verb !== 'LEAVEROOM' && verb !== 'EXIT')
    return undefined;
  const [room, change] = packet.messages;
  if (room === undefined || !isRoomName(room) || !isRoomChange(change)) return undefined;
  return { room, member: echoed.sender, change, via: packet.sender };
}
