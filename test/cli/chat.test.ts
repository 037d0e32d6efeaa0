/**
 * The chat prompt's pieces that need no network: safe display, argument checks, completion,
 * actions, windows, the status line and the notices.
 */
import { describe, expect, test } from 'vitest';
import { decodeAction, encodeAction } from '../../src/cli/chat/action.ts';
import { type Chat, lookup, parseArgs, runCommand, usage } from '../../src/cli/chat/commands.ts';
import { completer } from '../../src/cli/chat/completer.ts';
import { messageLine } from '../../src/cli/chat/message-line.ts';
import { notAnsweringText, roomNoticeText, stateNoticeText } from '../../src/cli/chat/notices.ts';
import { statusLine } from '../../src/cli/chat/status-line.ts';
import { chatStyle } from '../../src/cli/chat/style.ts';
import { visible } from '../../src/cli/chat/visible.ts';
import { KEPT_LINES, Windows } from '../../src/cli/chat/windows.ts';

describe('visible', () => {
  test.each([
    ['\x1b[2J\x1b[H', '^[[2J^[[H'], // clear screen, cursor home
    ['\x1b]52;c;aGk=\x07', '^[]52;c;aGk=^G'], // OSC 52: write the clipboard
    ['over\rwrite', 'over^Mwrite'], // a bare CR would overwrite the line
    ['a\nb\tc\0', 'a^Jb^Ic^@'],
    ['del\x7f', 'del^?'],
    ['\x9b31m', '\\x9b31m'], // C1 CSI, one byte
    ['\u202eevil', '\\u{202e}evil'], // right-to-left override
    ['plain words, ünïcode and emoji 🎉', 'plain words, ünïcode and emoji 🎉'],
  ])('%j is shown as %j', (text, shown) => {
    expect(visible(text)).toBe(shown);
  });

  test('nothing an escape sequence starts with survives', () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    const shown = [...visible(all)].map((c) => c.codePointAt(0) as number);
    expect(shown.filter((code) => code < 0x20 || (code >= 0x7f && code <= 0x9f))).toEqual([]);
  });
});

describe('command arguments', () => {
  const command = (name: string) => {
    const found = lookup(name);
    if (!found) throw new Error(`no /${name}`);
    return found;
  };

  test.each([
    ['join', '', '/join needs a ROOM'],
    ['create', '', '/create needs a ROOM'],
    ['join', 'bad-room!', '"bad-room!" is not a room name: letters and digits only'],
    ['find', 'a b', '/find takes only NAME; "b" is too much'],
    ['nick', 'bad!name', '"bad!name" is not a name: letters and digits only'],
    ['msg', 'ann', '/msg needs TEXT'],
    ['msg', '', '/msg needs a NAME'],
    ['rooms', 'x', '/rooms takes no arguments; "x" is too much'],
    ['join', '\x1b[2J', '"^[[2J" is not a room name: letters and digits only'],
  ])('/%s %j is refused: %s', (name, rest, message) => {
    expect(() => parseArgs(command(name), rest)).toThrow(message);
  });

  test('a NAME is one word and TEXT the rest of the line, spaces kept', () => {
    expect(parseArgs(command('msg'), 'ann  hello   there ')).toEqual(['ann', 'hello   there']);
    expect(parseArgs(command('leave'), '')).toEqual([]);
    expect(parseArgs(command('leave'), 'lobby')).toEqual(['lobby']);
  });

  test('IRC names reach the same commands', () => {
    expect(lookup('part')).toBe(lookup('leave'));
    expect(lookup('names')).toBe(lookup('who'));
    expect(lookup('query')).toBe(lookup('msg'));
    expect(lookup('q')).toBe(lookup('msg'));
    expect(usage(command('msg'))).toBe('/msg NAME TEXT');
    expect(usage(command('who'))).toBe('/who [ROOM]');
  });
});

describe('completion', () => {
  const complete = completer(new Set(['bob', 'bea', 'carol']), new Set(['lobby', 'lounge']));

  test('commands at the start of a line', () => {
    expect(complete('/jo')).toEqual([['/join '], '/jo']);
    expect(complete('/u')[0]).toEqual(['/unalias ']);
    expect(complete('/n')[0]).toEqual(['/names', '/nick']);
  });

  test('rooms after a command that takes a ROOM, names elsewhere', () => {
    expect(complete('/join lob')).toEqual([['lobby '], 'lob']);
    expect(complete('/join l')[0]).toEqual(['lobby', 'lounge']);
    expect(complete('/msg ca')).toEqual([['carol '], 'ca']);
    expect(complete('hi b')[0]).toEqual(['bea', 'bob']);
  });
});

test('/me travels as a CTCP ACTION and reads back as one', () => {
  expect(encodeAction('waves')).toBe('\u0001ACTION waves\u0001');
  expect(decodeAction(encodeAction('waves'))).toBe('waves');
  expect(decodeAction('ACTION waves')).toBeUndefined();
  expect(decodeAction('\u0001ACTION \u0001')).toBeUndefined();
});

describe('message lines', () => {
  const plain = chatStyle(false);
  const from = { kind: 'UserNode' as const, alias: 'bob', ip: '127.0.0.1', port: 5002 };

  test.each([
    [{ kind: 'room' as const, from, text: 'hi', room: 'lobby' }, '<bob> hi'],
    [{ kind: 'room' as const, from, text: 'psst', room: 'quiet' }, '[quiet] <bob> psst'],
    [{ kind: 'direct' as const, from, text: 'just you' }, '*bob* just you'],
    [{ kind: 'room' as const, from, text: encodeAction('waves'), room: 'lobby' }, '* bob waves'],
    [{ kind: 'direct' as const, from, text: '\x1b]0;pwned\x07' }, '*bob* ^[]0;pwned^G'],
  ])('%j reads %j when lobby is current', (message, line) => {
    expect(messageLine(message, false, 'lobby', plain)).toBe(line);
  });
});

describe('windows', () => {
  test('window 1 is the status window; rooms and conversations get the lowest free number from 2', () => {
    const windows = new Windows();
    expect(windows.current).toMatchObject({ number: 1, kind: 'status' });
    const lobby = windows.open('room', 'lobby');
    const bob = windows.open('direct', 'bob');
    expect([lobby.number, bob.number]).toEqual([2, 3]);
    expect(windows.open('room', 'lobby')).toBe(lobby); // found, not opened twice
    expect(windows.open('direct', 'lobby').number).toBe(4); // a conversation is not the room
    windows.close(lobby);
    expect(windows.open('room', 'lounge').number).toBe(2);
    expect(() => windows.close(windows.status)).toThrow('the status window cannot be closed');
  });

  test('lines for a window not on screen are kept, bounded, and listed as activity until it is shown', () => {
    const windows = new Windows();
    const lobby = windows.open('room', 'lobby');
    const bob = windows.open('direct', 'bob');
    for (let n = 0; n < KEPT_LINES + 5; n++) windows.add(lobby, `line ${n}`);
    windows.add(bob, 'hi');
    windows.add(windows.status, 'seen at once');
    expect(windows.activity()).toEqual([2, 3]);
    expect(lobby.lines).toHaveLength(KEPT_LINES);
    expect(lobby.lines[0]).toBe('line 5');
    expect(lobby.lines.at(-1)).toBe(`line ${KEPT_LINES + 4}`);
    windows.switchTo(bob);
    expect(windows.activity()).toEqual([2]);
  });

  test('closing the window on screen goes back to the one visited before it', () => {
    const windows = new Windows();
    const lobby = windows.open('room', 'lobby');
    const lounge = windows.open('room', 'lounge');
    const bob = windows.open('direct', 'bob');
    windows.switchTo(lobby);
    windows.switchTo(lounge);
    expect(windows.close(lounge)).toBe(lobby);
    windows.switchTo(bob);
    windows.close(lobby); // not on screen: nothing moves
    expect(windows.current).toBe(bob);
    expect(windows.close(bob)).toBe(windows.status); // every window visited is gone
  });
});

describe('status line', () => {
  const info = {
    server: 'alpha',
    lag: 2.4,
    state: 'registered' as const,
    window: { number: 2, name: 'lobby' },
    activity: [3, 4],
  };

  test.each([
    [info, '[alpha lag 2ms] [2:lobby] [Act: 3,4]'],
    [{ ...info, activity: [] }, '[alpha lag 2ms] [2:lobby]'],
    [{ ...info, lag: undefined }, '[alpha] [2:lobby] [Act: 3,4]'],
    [{ ...info, state: 'checking' as const }, '[alpha checking] [2:lobby] [Act: 3,4]'],
    [{ ...info, state: 'failingOver' as const }, '[alpha failing over] [2:lobby] [Act: 3,4]'],
    [{ ...info, server: 'evil\x1b[2J' }, '[evil^[[2J lag 2ms] [2:lobby] [Act: 3,4]'],
  ])('%j reads %j', (given, line) => {
    expect(statusLine(given)).toBe(line);
  });

  test('fits an 80-column terminal with nine windows active', () => {
    const busy = { ...info, server: 'a'.repeat(32), window: { number: 9, name: 'r'.repeat(32) } };
    const line = statusLine({ ...busy, state: 'failingOver', activity: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(line).toBe('[aaaaaaaaaaa~ failing over] [9:rrrrrrrrrrrrrrr~] [Act: 1,2,3,4,5,6,7,8]');
    expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('notices', () => {
  const plain = chatStyle(false);
  const member = { kind: 'UserNode' as const, alias: 'bob', ip: '127.0.0.1', port: 5002 };
  const via = { kind: 'Server' as const, alias: 'alpha', ip: '127.0.0.1', port: 8000 };

  test.each([
    ['joined' as const, 'bob joined lobby'],
    ['left' as const, 'bob left lobby'],
    ['quit' as const, 'bob quit'],
    ['split' as const, 'bob split off (netsplit)'],
    ['back' as const, 'bob is back (netjoin)'],
  ])('%s: %j', (change, text) => {
    expect(roomNoticeText({ room: 'lobby', member, change, via }, plain)).toBe(text);
  });

  test('a check is said only once it went unanswered for a while; a failover always', () => {
    expect(stateNoticeText('serverSilent', 'alpha', false)).toBeUndefined();
    expect(notAnsweringText('alpha')).toBe('alpha is not answering; checking');
    expect(stateNoticeText('serverAnswered', 'alpha', false)).toBeUndefined();
    expect(stateNoticeText('serverAnswered', 'alpha', true)).toBe('alpha answered; carrying on there');
    expect(stateNoticeText('serverFailed', 'alpha', true)).toBe('failing over from alpha');
    expect(stateNoticeText('calledHome', 'alpha', false)).toBe('alpha called us home; going back');
    expect(stateNoticeText('homeSilent', 'beta', false)).toBe('home did not answer; staying on beta');
  });
});

test('/topic says the protocol carries no topic; /window checks its argument', async () => {
  const said: string[] = [];
  const chat = {
    screen: { status: (t: string) => said.push(t), error: (t: string) => said.push(`error: ${t}`) },
    switchWindow: (n: number) => n === 2,
  } as unknown as Chat;
  await runCommand(chat, '/topic we talk about cats');
  await runCommand(chat, '/window 9');
  await runCommand(chat, '/window two!');
  expect(said).toEqual([
    'this protocol carries no room topic',
    'error: there is no window 9; usage: /window N',
    'error: "two!" is not a window number: letters and digits only; usage: /window N',
  ]);
});

test('a message in its own window reads <nick> text, a conversation too', () => {
  const plain = chatStyle(false);
  const from = { kind: 'UserNode' as const, alias: 'bob', ip: '127.0.0.1', port: 5002 };
  expect(messageLine({ kind: 'room', from, text: 'psst', room: 'quiet' }, false, 'quiet', plain, true)).toBe(
    '<bob> psst',
  );
  expect(messageLine({ kind: 'direct', from, text: 'just you' }, false, 'bob', plain, true)).toBe(
    '<bob> just you',
  );
});
