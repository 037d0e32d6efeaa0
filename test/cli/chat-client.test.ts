/**
 * The chat client in-process, around a real server over UDP on 127.0.0.1: windows per room and
 * per conversation, text typed in a window going to that window's room (made current at the
 * server first) or correspondent, /part going back to the window before, the status line.
 * Output goes to a pipe, as when the client's standard output is not a terminal.
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { ChatClient } from '../../src/cli/chat/client.ts';
import { runCommand } from '../../src/cli/chat/commands.ts';
import { showNodeEvents } from '../../src/cli/chat/node-events.ts';
import { Screen } from '../../src/cli/chat/screen.ts';
import { chatStyle } from '../../src/cli/chat/style.ts';
import { WindowView } from '../../src/cli/chat/window-view.ts';
import { Windows } from '../../src/cli/chat/windows.ts';
import type { ChatMessage, ChatUser } from '../../src/node/index.ts';
import { server, uniqueChannel, until, user } from '../node/helpers.ts';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** The client around `node`, printing to a pipe; `printed()` is what it wrote, stamps cut off. */
function client(node: ChatUser) {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const rl = createInterface({ input: new PassThrough(), output, terminal: false });
  const view: WindowView = new WindowView(
    new Screen(rl, output, false, chatStyle(false)),
    new Windows(),
    (): string => chat.promptText(),
  );
  const chat: ChatClient = new ChatClient(node, view, async () => {}, new Set(), new Set());
  stops.push(showNodeEvents(chat, 300), () => rl.close());
  const printedLines = () => printed.split('\n').map((l) => l.replace(/^\[\d\d:\d\d\] /, ''));
  return { chat, windows: view.windows, printed: printedLines };
}

/** Resolves with the first message `node` gets that `match` accepts; rejects after 5 s. */
function heard(node: ChatUser, match: (m: ChatMessage) => boolean): Promise<ChatMessage> {
  return new Promise((resolve, reject) => {
    const late = setTimeout(() => {
      node.off('message', listener);
      reject(new Error(`${node.self.alias} got no such message within 5 s`));
    }, 5000);
    const listener = (m: ChatMessage) => {
      if (!match(m)) return;
      node.off('message', listener);
      clearTimeout(late);
      resolve(m);
    };
    node.on('message', listener);
  });
}

test('text goes to the window on screen: its room, made current at the server, or its correspondent', async () => {
  const hub = server('hub', [uniqueChannel()]);
  await hub.start();
  const ann = await user('ann', hub);
  const bob = await user('bob', hub);
  const cat = await user('cat', hub);
  const { chat, windows, printed } = client(ann);

  await runCommand(chat, '/create lobby');
  await bob.join('lobby');
  await runCommand(chat, '/create lounge');
  await cat.join('lounge');
  expect(windows.all.map((w) => `${w.number}:${w.name}`)).toEqual(['1:status', '2:lobby', '3:lounge']);
  expect(chat.room).toBe('lounge');

  // A line in lobby, not on screen: kept in its window, active in the status line, and written
  // to the pipe with the room named.
  const inLobby = heard(ann, (m) => m.text === 'anyone?');
  await bob.say('anyone?');
  await inLobby;
  expect(windows.find('room', 'lobby')?.lines.at(-1)).toMatch(/<bob> anyone\?$/);
  expect(printed()).toContain('[lobby] <bob> anyone?');
  expect(chat.promptText()).toMatch(/^\[hub lag \d+ms\] \[3:lounge\] \[Act: 2\]\n\[lounge\] ann> $/);

  // Switching to lobby's window and typing: the server's current room is lounge (created last),
  // so the client joins lobby again first, and the line reaches bob in lobby, not cat.
  expect(chat.switchWindow(2)).toBe(true);
  expect(windows.activity()).toEqual([]);
  const bobHeard = heard(bob, (m) => m.text === 'yes, me');
  await chat.say('yes, me');
  expect(await bobHeard).toMatchObject({ kind: 'room', room: 'lobby' });
  expect(printed()).toContain('<ann> yes, me');

  // /part from lobby goes back to lounge, the window before; a line there reaches cat.
  await runCommand(chat, '/part');
  expect(chat.room).toBe('lounge');
  expect(windows.find('room', 'lobby')).toBeUndefined();
  const catHeard = heard(cat, (m) => m.text === 'still here');
  await chat.say('still here');
  expect(await catHeard).toMatchObject({ kind: 'room', room: 'lounge' });
  expect(printed().join('\n')).not.toContain('no room');

  // A direct message opens bob's window without going to it; /msg goes to it; text there is SEND.
  const direct = heard(ann, (m) => m.text === 'psst');
  await bob.send('ann', 'psst');
  await direct;
  const bobWindow = windows.find('direct', 'bob');
  expect(bobWindow?.lines.at(-1)).toMatch(/<bob> psst$/);
  expect(printed()).toContain('*bob* psst');
  expect(chat.room).toBe('lounge');
  await runCommand(chat, '/msg bob hi');
  expect(windows.current).toBe(bobWindow);
  const bobGotDirect = heard(bob, (m) => m.text === 'just you and me');
  await chat.say('just you and me');
  expect(await bobGotDirect).toMatchObject({ kind: 'direct' });

  // /wc in a room's window leaves the room.
  chat.switchWindow(3);
  await runCommand(chat, '/wc');
  expect(windows.find('room', 'lounge')).toBeUndefined();
  expect(printed()).toContain('-!- left lounge');
  const members = await cat.who('lounge');
  expect(members.map((m) => m.alias)).toEqual(['cat']);
});

test("a member's join, part and quit are told in the room's window, in irssi's words", async () => {
  const hub = server('hub', [uniqueChannel()]);
  await hub.start();
  const ann = await user('ann', hub);
  const bob = await user('bob', hub);
  const { chat, windows, printed } = client(ann);
  await runCommand(chat, '/create lobby');
  const lobby = windows.find('room', 'lobby');
  chat.switchWindow(1);
  const told = (text: string) =>
    until(() => lobby?.lines.some((line) => line.endsWith(`-!- ${text}`)), `ann to be told "${text}"`);
  await bob.join('lobby');
  await told('bob joined lobby');
  expect(windows.activity()).toEqual([2]); // not on screen: lobby's window is active
  await bob.leave('lobby');
  await told('bob left lobby');
  await bob.join('lobby');
  await bob.exit();
  await told('bob quit');
  expect(printed()).toContain('-!- bob quit');
  expect(windows.status.lines.join('\n')).not.toContain('bob');
});
