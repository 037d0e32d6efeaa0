/**
 * Chat messages that reach a user node. The specification does not say how a server delivers a
 * message, so both shapes a server may use are taken, from the node's current server only:
 * - a `+OK` echoing another user's SEND or CSEND (the reference server's way; a CSEND's one
 *   Message is the room), and
 * - the other user's SEND or CSEND itself, passed on from the server's address.
 * A SEND straight from another user node's own address (no server in the path) is taken too.
 */
import type { Packet, Server } from '../../ast.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import type { ChatMessage } from './events.ts';

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
    const room = packet.messages[0] ?? '';
    return { kind: 'room', from: echoed.sender, text: command.message, room, via: packet.sender };
  }
  if (command.verb === 'SEND') {
    return { kind: 'direct', from: echoed.sender, text: command.message, via: packet.sender };
  }
  return undefined;
}
