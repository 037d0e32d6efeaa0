/** The chat prompt's pieces that need no network: safe display, argument checks, completion, actions. */
import { describe, expect, test } from 'vitest';
import { decodeAction, encodeAction } from '../../src/cli/chat/action.ts';
import { lookup, parseArgs, usage } from '../../src/cli/chat/commands.ts';
import { completer } from '../../src/cli/chat/completer.ts';
import { messageLine } from '../../src/cli/chat/message-line.ts';
import { chatStyle } from '../../src/cli/chat/style.ts';
import { visible } from '../../src/cli/chat/visible.ts';

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
