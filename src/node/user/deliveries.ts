/**
 * Chat messages that reach a user node: a server's +OK echoing another user's SEND or CSEND (the
 * server delivering it; a CSEND's one Message is the room), or a SEND straight from another user
 * node's own address (no server in the path).
 */
import type { Packet } from '../../ast.ts';
import { type Endpoint, sameEndpoint } from '../transport.ts';
import type { ChatMessage } from './events.ts';

/** The message `packet` from `from` delivers to the node at `self`, if it is one. */
export function deliveryOf(packet: Packet, from: Endpoint, self: Endpoint): ChatMessage | undefined {
  if (packet.kind === 'UserCommand') {
    const command = packet.command;
    if (command.verb !== 'SEND' || !sameEndpoint(packet.sender, from)) return undefined;
    return { kind: 'direct', from: packet.sender, text: command.message };
  }
  if (packet.kind !== 'ServerReply') return undefined;
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
