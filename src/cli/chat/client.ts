/**
 * The chat client's state around its node: the windows, the room the server sends CSEND to, and
 * what plain text does in each window. The server's CSEND goes to the room last joined or
 * created, so a line typed in another room's window first joins that room again (a member's
 * JOINROOM only makes the room current: docs/protocol.md); a conversation's window sends SEND.
 */
import type { ChatUser, RequestError } from '../../node/index.ts';
import { encodeAction } from './action.ts';
import type { Chat } from './commands.ts';
import { statusLine } from './status-line.ts';
import { visible } from './visible.ts';
import type { WindowView } from './window-view.ts';
import { inWords } from './words.ts';

export class ChatClient implements Chat {
  readonly node: ChatUser;
  readonly screen: WindowView;
  /** Names and rooms seen, for completion. */
  readonly nicks: Set<string>;
  readonly rooms: Set<string>;
  readonly quit: () => Promise<void>;
  /** The room the server sends our CSEND to: the last one it confirmed we joined or created. */
  serverRoom: string | undefined;
  /** Counts changes of server, so a line refused as the node moves is sent again once. */
  #serverChanges = 0;
  #roomsFollowed = Promise.resolve();

  constructor(
    node: ChatUser,
    view: WindowView,
    quit: () => Promise<void>,
    nicks: Set<string>,
    rooms: Set<string>,
  ) {
    this.node = node;
    this.screen = view;
    this.quit = quit;
    this.nicks = nicks;
    this.rooms = rooms;
    node.on('serverChanged', () => {
      this.#serverChanges++;
      this.#roomsFollowed = new Promise((resolve) => node.once('roomsFollowed', () => resolve()));
    });
    // followRooms joins the current room last: the last one rejoined is current at the server.
    node.on('roomRejoined', (room) => {
      this.serverRoom = room;
    });
    node.on('roomLost', (room) => {
      if (this.serverRoom === room) this.serverRoom = undefined;
    });
  }

  get windows() {
    return this.screen.windows;
  }

  get room(): string | undefined {
    const window = this.windows.current;
    return window.kind === 'room' ? window.name : undefined;
  }

  entered(room: string): void {
    this.serverRoom = room;
    this.screen.switchTo(this.windows.open('room', room));
  }

  left(room: string): void {
    if (this.serverRoom === room) this.serverRoom = undefined;
    const window = this.windows.find('room', room);
    if (window) this.screen.close(window);
  }

  converse(peer: string): void {
    this.screen.switchTo(this.windows.open('direct', peer));
  }

  switchWindow(number: number): boolean {
    const window = this.windows.byNumber(number);
    if (window) this.screen.switchTo(window);
    return window !== undefined;
  }

  async closeWindow(): Promise<void> {
    const window = this.windows.current;
    if (window.kind === 'status') {
      this.screen.error('the status window stays open (/quit ends the client)');
      return;
    }
    if (window.kind === 'room') {
      await this.node.leave(window.name);
      this.left(window.name);
      this.screen.status(`left ${this.screen.style.room(visible(window.name))}`);
    } else {
      this.screen.close(window);
    }
  }

  refresh(): void {
    this.screen.refresh();
  }

  /** The status line and the prompt: `[alpha lag 2ms] [2:lobby] [Act: 3]` over `[lobby] ann> `. */
  promptText(): string {
    const { current } = this.windows;
    const style = this.screen.style;
    const status = statusLine({
      server: this.node.server.alias,
      lag: this.node.lag,
      state: this.node.state,
      window: current,
      activity: this.windows.activity(),
    });
    const where = current.kind === 'status' ? '' : `[${style.room(visible(current.name))}] `;
    return `${style.status(status)}\n${where}${style.nick(this.node.self.alias, true)}> `;
  }

  /** Plain text (or `/me`'s action) in the window on screen. */
  async say(text: string, action = false): Promise<void> {
    const window = this.windows.current;
    const message = action ? encodeAction(text) : text;
    const own = this.screen.style.nick(this.node.self.alias, true);
    const shown = action ? `* ${own} ${visible(text)}` : `<${own}> ${visible(text)}`;
    if (window.kind === 'status') {
      this.screen.error('this is the status window: /join ROOM, /msg NAME TEXT, or Alt-N');
      return;
    }
    try {
      if (window.kind === 'direct') {
        await this.node.send(window.name, message);
      } else {
        await this.#sayInRoom(window.name, message);
      }
      this.screen.lineIn(window, shown);
    } catch (error) {
      this.screen.error(inWords(error, 'not sent', this.node.server));
    }
  }

  /** CSEND to `room`, made current at the server first if need be. */
  async #sayInRoom(room: string, message: string): Promise<void> {
    const changesBefore = this.#serverChanges;
    if (this.serverRoom !== room) {
      await this.node.join(room);
      this.serverRoom = room;
    }
    // A line typed as the server fails goes to the backup before the rooms have followed; it is
    // sent again once they have, rather than lost.
    await this.node.say(message).catch(async (error: RequestError) => {
      if (error.code !== 'REFUSED' || this.#serverChanges === changesBefore) throw error;
      await this.#roomsFollowed;
      if (this.serverRoom !== room) {
        await this.node.join(room);
        this.serverRoom = room;
      }
      await this.node.say(message);
    });
  }
}
