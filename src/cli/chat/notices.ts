/**
 * What the client says when a room's members change and while its server is checked or changed,
 * in irssi's words: `bob joined lobby`, `bob split off (netsplit)`, `alpha is not answering;
 * checking`. The screen puts `-!- ` before each.
 */
import type { RoomNotice, SessionEvent } from '../../node/index.ts';
import type { Style } from './style.ts';
import { visible } from './visible.ts';

/** A member of a room we are in joined, left, quit, was cut off or came back. */
export function roomNoticeText(notice: RoomNotice, style: Style): string {
  const nick = style.nick(visible(notice.member.alias));
  const room = style.room(visible(notice.room));
  switch (notice.change) {
    case 'joined':
      return `${nick} joined ${room}`;
    case 'left':
      return `${nick} left ${room}`;
    case 'quit':
      return `${nick} quit`;
    case 'split':
      return `${nick} split off (netsplit)`;
    case 'back':
      return `${nick} is back (netjoin)`;
  }
}

/**
 * What a move of the session says, if anything; `server` is the server it is about: the one the
 * node is on, or home for `calledHome`. Entering `checking` is not said here: every keep-alive
 * checks an idle server, so the client says `notAnsweringText` only once a check goes unanswered
 * for a while. A move to another server is said by its `serverChanged` event, which names both.
 */
export function stateNoticeText(
  event: SessionEvent,
  server: string,
  wasSaidNotAnswering: boolean,
): string | undefined {
  const name = visible(server);
  switch (event) {
    case 'serverAnswered':
      return wasSaidNotAnswering ? `${name} answered; carrying on there` : undefined;
    case 'serverFailed':
      return `failing over from ${name}`;
    case 'calledHome':
      return `${name} called us home; going back`;
    case 'homeSilent':
      return `home did not answer; staying on ${name}`;
    default:
      // `lost` is said by the serverLost event, with the server's address, as the client exits.
      return undefined;
  }
}

export function notAnsweringText(server: string): string {
  return `${visible(server)} is not answering; checking`;
}

/** Said for a line typed while the server is checked or changed: it is kept and sent after. */
export const WAITING_TEXT = 'waiting for a server: this line is sent once one answers';
