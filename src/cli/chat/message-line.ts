/**
 * How a chat message reads on the screen, IRC's way: `<ann> text` in the current room,
 * `[quiet] <ann> text` in another room, `*bob* text` for a direct message, `* ann waves` for an
 * action. In its own window (`inWindow`: the room's, or the conversation's) every message reads
 * `<ann> text`, as irssi shows a query. Every piece of it that came from the network is made
 * visible first.
 */
import type { ChatMessage } from '../../node/index.ts';
import { decodeAction } from './action.ts';
import type { Style } from './style.ts';
import { visible } from './visible.ts';

export function messageLine(
  message: ChatMessage,
  own: boolean,
  currentRoom: string | undefined,
  style: Style,
  inWindow = false,
): string {
  const elsewhere = !inWindow && message.kind === 'room' && message.room !== currentRoom;
  const where = elsewhere ? `${style.room(`[${visible(message.room ?? '')}]`)} ` : '';
  const nick = style.nick(visible(message.from.alias), own);
  const action = decodeAction(message.text);
  if (action !== undefined) return `${where}* ${nick} ${visible(action)}`;
  if (message.kind === 'room' || inWindow) return `${where}<${nick}> ${visible(message.text)}`;
  return `*${nick}* ${visible(message.text)}`;
}
