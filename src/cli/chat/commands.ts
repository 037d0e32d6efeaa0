/**
 * The commands of the chat prompt: one table, from which come parsing, usage lines, `/help` and
 * Tab completion. A command's arguments are checked before anything is sent, so a mistake gets
 * one line naming it and the command's usage, and the prompt stays.
 */
import { type ChatUser, RequestError } from '../../node/index.ts';
import { isAlias } from '../../values.ts';
import type { Style } from './style.ts';
import { visible } from './visible.ts';
import { inWords } from './words.ts';

/** Where a command's lines go: the window on screen (the plain Screen has one window). */
export interface ChatOutput {
  readonly style: Style;
  line(text: string): void;
  status(text: string): void;
  error(text: string): void;
  raw(text: string): void;
}

/** What commands work on: the node, the screen, and the client's own state. */
export interface Chat {
  readonly node: ChatUser;
  readonly screen: ChatOutput;
  /** The room of the window on screen, if it is a room's. */
  readonly room: string | undefined;
  /** Joined or created `room`: its window opens (or is found) and comes on screen. */
  entered(room: string): void;
  /** Left `room`: its window closes, and the window visited before comes back. */
  left(room: string): void;
  /** A direct conversation with `peer`: its window opens (or is found) and comes on screen. */
  converse(peer: string): void;
  /** Window `number` comes on screen (Alt-N); false when there is no such window. */
  switchWindow(number: number): boolean;
  /** Closes the window on screen, leaving its room if it is a room's. */
  closeWindow(): Promise<void>;
  /** Redraws the status line and prompt (after the alias changed). */
  refresh(): void;
  /** Names seen, for completion. */
  readonly nicks: Set<string>;
  readonly rooms: Set<string>;
  /** Sends EXIT and ends the client. */
  quit(): Promise<void>;
  /** `/me`'s text on the wire (CTCP ACTION, as IRC does). */
  say(text: string, action?: boolean): Promise<void>;
}

/** A ROOM or NAME: Section IV's Alias. N: a window's number, or `close`. TEXT: the rest of the line. */
type Param = { name: 'ROOM' | 'NAME' | 'N' | 'TEXT'; optional?: boolean };

export interface ChatCommand {
  name: string;
  /** Other names for it (IRC's). */
  aliases?: string[];
  params: Param[];
  summary: string;
  run(chat: Chat, args: string[]): Promise<void>;
}

/** A FIND that takes longer than this says it is searching (it may be forwarded to other servers). */
const SEARCHING_AFTER = 300;

const room: Param = { name: 'ROOM' };
const name: Param = { name: 'NAME' };
const text: Param = { name: 'TEXT' };

export const COMMANDS: ChatCommand[] = [
  {
    name: 'find',
    params: [name],
    summary: 'where NAME is, asking other servers if need be',
    async run(chat, [alias = '']) {
      const searching = setTimeout(() => chat.screen.status(`searching for ${alias}...`), SEARCHING_AFTER);
      try {
        const found = await chat.node.find(alias);
        if (!found) {
          chat.screen.status(`${alias} was not found on any server`);
          return;
        }
        chat.nicks.add(alias);
        const { user, server } = found;
        chat.screen.status(`${alias} is at ${user.ip}:${user.port} on ${visible(server.alias)}`);
      } finally {
        clearTimeout(searching);
      }
    },
  },
  {
    name: 'create',
    params: [room],
    summary: 'create a room and join it; plain text goes to it',
    async run(chat, [r = '']) {
      await chat.node.createRoom(r);
      chat.rooms.add(r);
      chat.entered(r);
      chat.screen.status(`created ${chat.screen.style.room(r)} and joined it`);
    },
  },
  {
    name: 'join',
    params: [room],
    summary: 'join a room; plain text goes to it',
    async run(chat, [r = '']) {
      await chat.node.join(r);
      chat.rooms.add(r);
      chat.entered(r);
      chat.screen.status(`joined ${chat.screen.style.room(r)}`);
    },
  },
  {
    name: 'leave',
    aliases: ['part'],
    params: [{ ...room, optional: true }],
    summary: "leave ROOM (default: this window's room) and close its window",
    async run(chat, [r = chat.room ?? '']) {
      if (r === '') throw new UsageError("this window is no room's; name the ROOM to leave");
      await chat.node.leave(r);
      chat.left(r);
      chat.screen.status(`left ${chat.screen.style.room(r)}`);
    },
  },
  {
    name: 'who',
    aliases: ['names'],
    params: [{ ...room, optional: true }],
    summary: "members of ROOM (default: this window's room)",
    async run(chat, [r = chat.room ?? '']) {
      if (r === '') throw new UsageError("this window is no room's; name the ROOM");
      const members = (await chat.node.who(r)).map((u) => u.alias);
      for (const m of members) chat.nicks.add(m);
      chat.screen.status(`${chat.screen.style.room(r)}: ${members.map(visible).join(' ') || '(nobody)'}`);
    },
  },
  {
    name: 'rooms',
    params: [],
    summary: "rooms your server knows (a reference server: every server's)",
    async run(chat) {
      const rooms = await chat.node.rooms();
      for (const r of rooms) chat.rooms.add(r);
      chat.screen.status(
        `rooms ${visible(chat.node.server.alias)} knows: ${rooms.map(visible).join(' ') || '(none)'}`,
      );
    },
  },
  {
    name: 'msg',
    aliases: ['query', 'q'],
    params: [name, text],
    summary: "a direct message to NAME, in NAME's window",
    async run(chat, [to = '', message = '']) {
      const sent = await chat.node.send(to, message).catch((error: unknown) => {
        // A name nobody has is not offered by Tab again.
        if (refusedName(error)) chat.nicks.delete(to);
        throw error;
      });
      chat.nicks.add(to);
      chat.converse(to);
      chat.screen.line(`<${chat.screen.style.nick(chat.node.self.alias, true)}> ${visible(message)}`);
      chat.screen.status(
        sent.server
          ? `${visible(to)}'s server ${visible(sent.server.alias)} took it`
          : `not confirmed that ${visible(to)} got it: ${visible(sent.note.replace(/^not confirmed: /, '') || `${chat.node.server.alias} did not say where it went`)}`,
      );
    },
  },
  {
    name: 'me',
    params: [text],
    summary: "an action in this window's room or conversation: * you TEXT",
    async run(chat, [action = '']) {
      await chat.say(action, true);
    },
  },
  {
    name: 'list',
    params: [],
    summary: 'every user your server knows',
    async run(chat) {
      const users = (await chat.node.list()).map((u) => u.alias);
      for (const u of users) chat.nicks.add(u);
      chat.screen.status(`users: ${users.map(visible).join(' ') || '(nobody)'}`);
    },
  },
  {
    name: 'nick',
    params: [name],
    summary: 'change your alias',
    async run(chat, [alias = '']) {
      const before = chat.node.self.alias;
      await chat.node.setAlias(alias);
      chat.refresh(); // the prompt shows the new alias
      chat.screen.status(`${before} is now known as ${chat.screen.style.nick(alias, true)}`);
    },
  },
  {
    name: 'alias',
    params: [name],
    summary: 'add another alias that finds you',
    async run(chat, [alias = '']) {
      await chat.node.addAlias(alias);
      chat.screen.status(`you are now also ${chat.screen.style.nick(alias, true)}`);
    },
  },
  {
    name: 'unalias',
    params: [name],
    summary: 'remove an alias added with /alias',
    async run(chat, [alias = '']) {
      await chat.node.removeAlias(alias);
      chat.screen.status(`${alias} is no longer an alias of yours`);
    },
  },
  {
    name: 'servers',
    params: [],
    summary: 'your server, your home server and the backups',
    async run(chat) {
      const { server, preferred, backups } = chat.node;
      const others = backups.filter((b) => b.alias !== server.alias).map((b) => visible(b.alias));
      chat.screen.status(
        `on ${visible(server.alias)} at ${server.ip}:${server.port}; home ${visible(preferred.alias)}; backups ${others.join(', ') || '(none)'}`,
      );
    },
  },
  {
    name: 'window',
    params: [{ name: 'N' }],
    summary: 'show window N (also Alt-N); /window close closes this one',
    async run(chat, [which = '']) {
      if (which === 'close') return chat.closeWindow();
      if (!/^\d+$/.test(which)) throw new UsageError(`"${which}" is not a window number or close`);
      if (!chat.switchWindow(Number(which))) throw new UsageError(`there is no window ${which}`);
    },
  },
  {
    name: 'wc',
    params: [],
    summary: "close this window, leaving its room if it is a room's",
    async run(chat) {
      await chat.closeWindow();
    },
  },
  {
    name: 'topic',
    params: [{ name: 'TEXT', optional: true }],
    summary: 'rooms have no topic in this protocol: says so',
    async run(chat) {
      chat.screen.status('this protocol carries no room topic');
    },
  },
  {
    name: 'help',
    params: [{ name: 'NAME', optional: true }],
    summary: 'this list, or one command',
    async run(chat, [command]) {
      if (command === undefined) {
        chat.screen.raw(helpText());
        return;
      }
      const found = lookup(command.replace(/^\//, ''));
      if (!found) throw new UsageError(`there is no /${command}; /help lists the commands`);
      chat.screen.raw(`  ${usage(found).padEnd(20)} ${found.summary}${aliasesOf(found)}`);
    },
  },
  {
    name: 'quit',
    params: [],
    summary: 'leave the server (EXIT) and end; also Ctrl-C, Ctrl-D',
    async run(chat) {
      await chat.quit();
    },
  },
];

/** A mistake in what was typed, said before anything was sent. */
export class UsageError extends Error {}

export function lookup(name: string): ChatCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function usage(command: ChatCommand): string {
  const params = command.params.map((p) => (p.optional ? `[${p.name}]` : p.name));
  return [`/${command.name}`, ...params].join(' ');
}

function aliasesOf(command: ChatCommand): string {
  return command.aliases ? ` (also ${command.aliases.map((a) => `/${a}`).join(', ')})` : '';
}

export function helpText(): string {
  return [
    ...COMMANDS.map((c) => `  ${usage(c).padEnd(20)} ${c.summary}${aliasesOf(c)}`),
    `  ${'TEXT'.padEnd(20)} say TEXT in this window's room or conversation`,
    '  Alt-1..Alt-9 (Esc then the digit) show windows 1 to 9; window 1 is the status window.',
    '  Tab completes commands, names and rooms; Up and Down recall earlier lines.',
  ].join('\n');
}

/**
 * Splits the words after a command by its parameters: a ROOM or NAME is one word of letters and
 * digits, TEXT is the rest of the line. Throws UsageError naming what is wrong.
 */
export function parseArgs(command: ChatCommand, rest: string): string[] {
  const args: string[] = [];
  let remaining = rest.trim();
  for (const param of command.params) {
    if (remaining === '') {
      if (param.optional) break;
      throw new UsageError(`/${command.name} needs ${article(param)}${param.name}`);
    }
    if (param.name === 'TEXT') {
      args.push(remaining);
      remaining = '';
      break;
    }
    const [, word = '', after = ''] = /^(\S+)\s*(.*)$/s.exec(remaining) ?? [];
    if (!isAlias(word)) {
      const what = { ROOM: 'a room name', NAME: 'a name', N: 'a window number' }[param.name];
      throw new UsageError(`"${visible(word)}" is not ${what}: letters and digits only`);
    }
    args.push(word);
    remaining = after;
  }
  if (remaining !== '') {
    const takes =
      command.params.length === 0 ? 'no arguments' : `only ${usage(command).split(' ').slice(1).join(' ')}`;
    throw new UsageError(`/${command.name} takes ${takes}; "${visible(remaining)}" is too much`);
  }
  return args;
}

function article(param: Param): string {
  return param.name === 'TEXT' ? '' : 'a ';
}

/** Whether `error` is a SEND refused because nobody has the name (src/node/server/handlers/messaging.ts). */
function refusedName(error: unknown): boolean {
  return (
    error instanceof RequestError &&
    error.code === 'REFUSED' &&
    /^nobody has /.test(error.reply?.messages[0] ?? '')
  );
}

/** What a failed command was trying to do, for its error line. */
export function doing(command: ChatCommand, args: string[], current: string | undefined): string {
  const first = args[0] ?? current;
  const phrases: Record<string, string> = {
    find: `cannot find ${first}`,
    create: `cannot create ${first}`,
    join: `cannot join ${first}`,
    leave: `cannot leave ${first}`,
    who: `cannot list ${first}`,
    rooms: 'cannot list the rooms',
    msg: `message to ${first} not sent`,
    me: 'action not sent',
    list: 'cannot list the users',
    nick: `cannot become ${first}`,
    alias: `cannot add alias ${first}`,
    unalias: `cannot remove alias ${first}`,
    window: 'cannot close the window',
    wc: 'cannot close the window',
  };
  return phrases[command.name] ?? `/${command.name} failed`;
}

/** Runs one command line; every failure becomes one line on the screen. */
export async function runCommand(chat: Chat, line: string): Promise<void> {
  const [, word = '', rest = ''] = /^\/(\S*)\s*(.*)$/s.exec(line) ?? [];
  const command = lookup(word);
  if (!command) {
    chat.screen.error(`unknown command /${visible(word)}; /help lists them`);
    return;
  }
  let args: string[];
  try {
    args = parseArgs(command, rest);
  } catch (error) {
    chat.screen.error(`${(error as Error).message}; usage: ${usage(command)}`);
    return;
  }
  try {
    await command.run(chat, args);
  } catch (error) {
    if (error instanceof UsageError) chat.screen.error(`${error.message}; usage: ${usage(command)}`);
    else chat.screen.error(inWords(error, doing(command, args, chat.room), chat.node.server));
  }
}
