/** One block per Section IV production: valid forms, then invalid ones with their exact position. */
import { describe, expect, test } from 'vitest';
import { type Packet, ProtocolError, parse, safeParse } from '../src/index.ts';

const bob = { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 } as const;
const alpha = { kind: 'Server', alias: 'alpha', ip: '10.0.0.1', port: 8000 } as const;
const BOB = 'USERNODE bob 127.0.0.1 5001';
const ALPHA = 'SERVER alpha 10.0.0.1 8000';

function user(command: object): Packet {
  return { kind: 'UserCommand', sender: bob, command } as Packet;
}

/** Parses `input` expecting a ProtocolError; returns it for field checks. */
function failure(input: string | Uint8Array): ProtocolError {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

function expectError(input: string, code: string, line: number, column: number, message?: string) {
  const error = failure(input);
  expect({ code: error.code, line: error.line, column: error.column }).toEqual({ code, line, column });
  if (message !== undefined) expect(error.message).toBe(message);
  return error;
}

describe('Command', () => {
  test('Server SCommand', () => {
    expect(parse(`${ALPHA} DISCOVER alpha`)).toEqual({
      kind: 'ServerCommand',
      sender: alpha,
      command: { verb: 'DISCOVER', alias: 'alpha' },
    });
  });
  test('UserNode UCommand', () => {
    expect(parse(`${BOB} FIND alice`)).toEqual(user({ verb: 'FIND', alias: 'alice' }));
  });
  test('a server command after a UserNode is rejected', () => {
    expectError(`${BOB} DISCOVER x`, 'UNEXPECTED_TOKEN', 1, 29);
  });
  test('a user command after a Server is rejected', () => {
    expectError(`${ALPHA} FIND x`, 'UNEXPECTED_TOKEN', 1, 28);
  });
  test('empty input names every top-level production', () => {
    expectError(
      '',
      'UNEXPECTED_TOKEN',
      1,
      1,
      '1:1: expected a packet (SERVER, USERNODE or SERVERREPLY) but the packet ended',
    );
    expectError('  \n ', 'UNEXPECTED_TOKEN', 2, 2);
  });
  test('keywords are upper-case only', () => {
    expectError(`${BOB} find alice`, 'UNEXPECTED_TOKEN', 1, 29);
    expectError('usernode bob 127.0.0.1 5001 FIND alice', 'UNEXPECTED_TOKEN', 1, 1);
  });
  test('anything after a complete packet is an error', () => {
    expectError(
      `${BOB} LIST extra`,
      'TRAILING_INPUT',
      1,
      34,
      '1:34: unexpected "extra" after a complete packet',
    );
    expectError(`${BOB} FIND a ${BOB} FIND b`, 'TRAILING_INPUT', 1, 36);
  });
});

describe('Server and UserNode', () => {
  test('read alias, address and port', () => {
    expect(parse(`${ALPHA} PREFERRED SERVER b2 192.168.1.20 65535`)).toEqual({
      kind: 'ServerCommand',
      sender: alpha,
      command: {
        verb: 'PREFERRED',
        server: { kind: 'Server', alias: 'b2', ip: '192.168.1.20', port: 65535 },
      },
    });
  });
  test('a missing port is reported where the packet ends', () => {
    const error = expectError('USERNODE bob 127.0.0.1', 'UNEXPECTED_TOKEN', 1, 23);
    expect(error.found).toBe('end of input');
    expect(error.expected).toMatch(/^a Port/);
  });
});

describe('SCommand', () => {
  test('every verb', () => {
    const command = (text: string) => (parse(`${ALPHA} ${text}`) as { command: unknown }).command;
    expect(command('DISCOVER beta')).toEqual({ verb: 'DISCOVER', alias: 'beta' });
    expect(command('KNOWNUSERS')).toEqual({ verb: 'KNOWNUSERS', users: [] });
    expect(command(`KNOWNUSERS ${BOB} USERNODE c 1.1.1.1 1000`)).toEqual({
      verb: 'KNOWNUSERS',
      users: [bob, { kind: 'UserNode', alias: 'c', ip: '1.1.1.1', port: 1000 }],
    });
    expect(command('KNOWNSERVERS')).toEqual({ verb: 'KNOWNSERVERS', servers: [] });
    expect(command(`KNOWNSERVERS ${ALPHA}`)).toEqual({ verb: 'KNOWNSERVERS', servers: [alpha] });
    expect(command(`PREFERRED ${ALPHA}`)).toEqual({ verb: 'PREFERRED', server: alpha });
    expect(command('JOINCHANNEL 230.0.0.2 8451')).toEqual({
      verb: 'JOINCHANNEL',
      ip: '230.0.0.2',
      port: 8451,
    });
  });
  test('an unknown verb lists the server commands', () => {
    const error = expectError(`${ALPHA} HELLO`, 'UNEXPECTED_TOKEN', 1, 28);
    expect(error.message).toBe(
      '1:28: expected a server command (DISCOVER, KNOWNUSERS, KNOWNSERVERS, PREFERRED or JOINCHANNEL) but found "HELLO"',
    );
  });
  test('KNOWNUSERS takes UserNodes only', () => {
    expectError(`${ALPHA} KNOWNUSERS ${ALPHA}`, 'TRAILING_INPUT', 1, 39);
  });
});

describe('UCommand', () => {
  const command = (text: string) => (parse(`${BOB} ${text}`) as { command: unknown }).command;
  test('every verb', () => {
    expect(command('FIND alice')).toEqual({ verb: 'FIND', alias: 'alice' });
    expect(command(`PREFERRED ${ALPHA}`)).toEqual({ verb: 'PREFERRED', server: alpha });
    for (const verb of ['CREATEROOM', 'JOINROOM', 'LEAVEROOM', 'ULIST']) {
      expect(command(`${verb} lobby`)).toEqual({ verb, room: 'lobby' });
    }
    for (const verb of ['LISTROOMS', 'EXIT', 'LIST']) expect(command(verb)).toEqual({ verb });
    expect(command('CSEND MESSAGE hello all\0')).toEqual({ verb: 'CSEND', message: 'hello all' });
    expect(command(`ALIAS ${BOB}`)).toEqual({ verb: 'ALIAS', user: bob });
    expect(command(`SETALIAS ${BOB}`)).toEqual({ verb: 'SETALIAS', user: bob });
    expect(command('REMOVE bobby')).toEqual({ verb: 'REMOVE', alias: 'bobby' });
    expect(command('SEND alice MESSAGE hi\0')).toEqual({ verb: 'SEND', alias: 'alice', message: 'hi' });
  });
  test('a verb without its argument', () => {
    expectError(
      `${BOB} FIND`,
      'UNEXPECTED_TOKEN',
      1,
      33,
      '1:33: expected an Alias ([A-Za-z0-9]+) but the packet ended',
    );
    expectError(
      `${BOB} JOINROOM`,
      'UNEXPECTED_TOKEN',
      1,
      37,
      '1:37: expected a RoomName ([A-Za-z0-9]+) but the packet ended',
    );
    expectError(`${BOB} SEND alice`, 'UNEXPECTED_TOKEN', 1, 39);
  });
  test('LISTROOMS is not LIST followed by ROOMS, and LIST takes no argument', () => {
    expect(command('LISTROOMS')).toEqual({ verb: 'LISTROOMS' });
    expectError(`${BOB} LIST ROOMS`, 'TRAILING_INPUT', 1, 34);
  });
});

describe('ServerReply', () => {
  const head = `SERVERREPLY ${ALPHA} +OK ${BOB} FIND alice`;
  const echoed = user({ verb: 'FIND', alias: 'alice' });
  test('with every list', () => {
    expect(parse(`${head} ${ALPHA} USERNODE alice 10.0.0.9 6000 MESSAGE one\0 MESSAGE two\0`)).toEqual({
      kind: 'ServerReply',
      sender: alpha,
      status: '+OK',
      command: echoed,
      servers: [alpha],
      users: [{ kind: 'UserNode', alias: 'alice', ip: '10.0.0.9', port: 6000 }],
      messages: ['one', 'two'],
    });
  });
  test('-ERR with no lists', () => {
    expect(parse(`SERVERREPLY ${ALPHA} -ERR ${BOB} EXIT`)).toMatchObject({
      status: '-ERR',
      servers: [],
      users: [],
    });
  });
  test('lists come in grammar order: a Server after a UserNode is an error', () => {
    expectError(`${head} ${BOB} ${ALPHA}`, 'TRAILING_INPUT', 1, 111);
  });
  test('a UserNode after a Message is an error', () => {
    expectError(`${head} MESSAGE x\0 ${BOB}`, 'TRAILING_INPUT', 1, 94);
  });
  test('an echoed KNOWNUSERS takes every UserNode after it (greedy)', () => {
    const packet = parse(`SERVERREPLY ${ALPHA} +OK ${ALPHA} KNOWNUSERS ${BOB} ${BOB}`);
    expect(packet).toMatchObject({ command: { command: { users: [bob, bob] } }, users: [] });
  });
  test('an echoed KNOWNSERVERS takes every Server after it (greedy)', () => {
    const packet = parse(`SERVERREPLY ${ALPHA} +OK ${ALPHA} KNOWNSERVERS ${ALPHA} ${BOB}`);
    expect(packet).toMatchObject({ command: { command: { servers: [alpha] } }, servers: [], users: [bob] });
  });
  test('never echoes another ServerReply', () => {
    expectError(`SERVERREPLY ${ALPHA} +OK ${head}`, 'UNEXPECTED_TOKEN', 1, 44, undefined);
  });
});

describe('Status', () => {
  test('is +OK or -ERR exactly', () => {
    const error = expectError(`SERVERREPLY ${ALPHA} OK ${BOB} LIST`, 'UNEXPECTED_TOKEN', 1, 40);
    expect(error.message).toBe('1:40: expected a Status (+OK or -ERR) but found "OK"');
    expectError(`SERVERREPLY ${ALPHA} +ok ${BOB} LIST`, 'UNEXPECTED_CHARACTER', 1, 40);
  });
});

describe('Alias and RoomName', () => {
  test('keywords, digits and MESSAGE are names where a name is expected', () => {
    expect(parse('USERNODE FIND 1.2.3.4 5001 FIND SERVER')).toEqual({
      kind: 'UserCommand',
      sender: { kind: 'UserNode', alias: 'FIND', ip: '1.2.3.4', port: 5001 },
      command: { verb: 'FIND', alias: 'SERVER' },
    });
    expect(parse(`${BOB} SEND MESSAGE MESSAGE hi\0`)).toEqual(
      user({ verb: 'SEND', alias: 'MESSAGE', message: 'hi' }),
    );
    expect(parse(`${BOB} JOINROOM 2024`)).toEqual(user({ verb: 'JOINROOM', room: '2024' }));
    expect(parse(`${BOB} CREATEROOM MESSAGE`)).toEqual(user({ verb: 'CREATEROOM', room: 'MESSAGE' }));
    expect(parse('SERVER SERVERREPLY 1.2.3.4 1000 DISCOVER MESSAGE')).toMatchObject({
      sender: { alias: 'SERVERREPLY' },
      command: { alias: 'MESSAGE' },
    });
  });
  test('a name-taking keyword used as a name does not open another name slot', () => {
    // SEND is the alias being found, so the MESSAGE after it is the reply's Message.
    expect(parse(`SERVERREPLY ${ALPHA} +OK ${BOB} FIND SEND MESSAGE hi\0`)).toMatchObject({
      command: { command: { verb: 'FIND', alias: 'SEND' } },
      messages: ['hi'],
    });
  });
  test('other characters are not part of a name', () => {
    expectError(`${BOB} FIND al_ice`, 'UNEXPECTED_CHARACTER', 1, 36, '1:36: unexpected character "_"');
    expectError(`${BOB} FIND alicé`, 'UNEXPECTED_CHARACTER', 1, 38);
  });
});

describe('IPAddress and Byte', () => {
  const address = (ip: string) =>
    (parse(`USERNODE b ${ip} 5001 LIST`) as { sender: { ip: string } }).sender.ip;
  test('bytes 0 and 255, leading zeros normalized', () => {
    expect(address('0.0.0.0')).toBe('0.0.0.0');
    expect(address('255.255.255.255')).toBe('255.255.255.255');
    expect(address('010.001.0.099')).toBe('10.1.0.99');
    expect(address('000.00.0.255')).toBe('0.0.0.255');
  });
  test('256-299 match the pattern but are out of range', () => {
    expectError(
      'USERNODE b 1.2.3.256 5001 LIST',
      'BYTE_RANGE',
      1,
      18,
      '1:18: Byte "256" is out of range: at most 255',
    );
    expectError('USERNODE b 299.2.3.4 5001 LIST', 'BYTE_RANGE', 1, 12);
  });
  test('300 and four digits do not match the pattern', () => {
    expectError(
      'USERNODE b 1.300.3.4 5001 LIST',
      'BYTE_PATTERN',
      1,
      14,
      '1:14: Byte "300" must be 1-3 digits, and 3 digits start with 0-2',
    );
    expectError('USERNODE b 1.2.3.0001 5001 LIST', 'BYTE_PATTERN', 1, 18);
  });
  test('four bytes, no whitespace inside', () => {
    expectError('USERNODE b 1.2.3 5001 LIST', 'UNEXPECTED_TOKEN', 1, 18);
    expectError('USERNODE b 1 .2.3.4 5001 LIST', 'SPACE_IN_IP_ADDRESS', 1, 13);
    expectError('USERNODE b 1.2.3. 4 5001 LIST', 'SPACE_IN_IP_ADDRESS', 1, 18);
    expectError('USERNODE b 1.2.3.4.5 5001 LIST', 'UNEXPECTED_TOKEN', 1, 19);
    expectError('USERNODE b 1.2.x.4 5001 LIST', 'UNEXPECTED_TOKEN', 1, 16);
  });
});

describe('Port', () => {
  const port = (text: string) =>
    (parse(`USERNODE b 1.2.3.4 ${text} LIST`) as { sender: { port: number } }).sender.port;
  test('4 digits, or 5 starting with 0-6, at most 65535', () => {
    expect(port('0080')).toBe(80);
    expect(port('0000')).toBe(0);
    expect(port('01000')).toBe(1000);
    expect(port('65535')).toBe(65535);
  });
  test('out of pattern', () => {
    expectError('USERNODE b 1.2.3.4 999 LIST', 'PORT_PATTERN', 1, 20);
    expectError(
      'USERNODE b 1.2.3.4 70000 LIST',
      'PORT_PATTERN',
      1,
      20,
      '1:20: Port "70000" must be 4 digits, or 5 digits starting with 0-6',
    );
    expectError('USERNODE b 1.2.3.4 123456 LIST', 'PORT_PATTERN', 1, 20);
  });
  test('in pattern, out of range', () => {
    expectError(
      'USERNODE b 1.2.3.4 65536 LIST',
      'PORT_RANGE',
      1,
      20,
      '1:20: Port "65536" is out of range: at most 65535',
    );
    expectError('USERNODE b 1.2.3.4 69999 LIST', 'PORT_RANGE', 1, 20);
  });
  test('a word is not a port', () => {
    expectError('USERNODE b 1.2.3.4 80a0 LIST', 'UNEXPECTED_TOKEN', 1, 20);
  });
});

describe('Message', () => {
  const message = (text: string) =>
    (parse(`${BOB} CSEND ${text}`) as { command: { message: string } }).command.message;
  test('content up to the NUL, one separating space', () => {
    expect(message('MESSAGE hi there\0')).toBe('hi there');
    expect(message('MESSAGE  two leading\0')).toBe(' two leading');
    expect(message('MESSAGE\0')).toBe('');
    expect(message('MESSAGE \0')).toBe('');
    expect(message('MESSAGE line one\nline two\r\n\0')).toBe('line one\nline two\r\n');
    expect(message('MESSAGE FIND SERVER MESSAGE +OK\0')).toBe('FIND SERVER MESSAGE +OK');
    expect(message('MESSAGE 你好 👋 café\0')).toBe('你好 👋 café');
  });
  test('whitespace after the NUL is optional', () => {
    const reply = `SERVERREPLY ${ALPHA} +OK ${BOB} LIST MESSAGE a\0MESSAGE b\0 \n`;
    expect(parse(reply)).toMatchObject({ messages: ['a', 'b'] });
  });
  test('must be terminated by NUL', () => {
    expectError(
      `${BOB} CSEND MESSAGE hi`,
      'UNTERMINATED_MESSAGE',
      1,
      45,
      '1:45: Message is not terminated by NUL',
    );
  });
  test('only a space separates MESSAGE from the content', () => {
    expectError(
      `${BOB} CSEND MESSAGE\thi\0`,
      'MESSAGE_SEPARATOR',
      1,
      42,
      '1:42: MESSAGE must be followed by one space or by NUL, not "\\t"',
    );
  });
  test('a stray dot is reported by what was expected, not as an address', () => {
    expectError(`${BOB} FIND alice .`, 'TRAILING_INPUT', 1, 40);
  });
  test('the content must be separated from MESSAGE', () => {
    expectError(`${BOB} CSEND MESSAGEhi\0`, 'UNEXPECTED_TOKEN', 1, 35);
  });
  test('a missing MESSAGE keyword is reported at the word where the Message was expected', () => {
    const error = expectError(
      `${BOB} SEND alice hello\0`,
      'UNEXPECTED_TOKEN',
      1,
      40,
      '1:40: expected a Message (MESSAGE, a space, the content, NUL) but found "hello"',
    );
    expect(error.found).toBe('"hello"');
    expectError(`${BOB} CSEND hello there\0`, 'UNEXPECTED_TOKEN', 1, 35);
  });
  test('NUL anywhere else is an error', () => {
    expectError(`${BOB} LIST\0`, 'UNEXPECTED_CHARACTER', 1, 33);
    expectError('USERNODE b\0 1.2.3.4 5001 LIST', 'UNEXPECTED_CHARACTER', 1, 11);
  });
});

describe('separators', () => {
  test('any whitespace between tokens, leading and trailing ignored', () => {
    expect(parse(' \tUSERNODE\r\nbob   127.0.0.1\t5001\nFIND alice \n')).toEqual(
      user({ verb: 'FIND', alias: 'alice' }),
    );
  });
  test('tokens must be separated', () => {
    expectError(
      `SERVERREPLY ${ALPHA}+OK ${BOB} LIST`,
      'MISSING_SEPARATOR',
      1,
      39,
      '1:39: expected whitespace between "8000" and "+OK"',
    );
  });
  test('positions count lines at LF', () => {
    const error = expectError('USERNODE bob\n127.0.0.1\n5001 FIND a_b', 'UNEXPECTED_CHARACTER', 3, 12);
    expect(error.offset).toBe(34);
  });
});

describe('input forms', () => {
  test('UTF-8 bytes parse like the text', () => {
    const text = `${BOB} CSEND MESSAGE 👋\0`;
    expect(parse(new TextEncoder().encode(text))).toEqual(parse(text));
  });
  test('invalid UTF-8 is a ProtocolError naming the byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(`${BOB} CSEND MESSAGE a`), 0xff, 0]);
    const error = failure(bytes);
    expect(error.code).toBe('INVALID_UTF8');
    expect(error.message).toBe('1:44: invalid UTF-8 in the sequence starting at byte 43 (0xff)');
  });
  test('a lone surrogate in a string is not UTF-8 text', () => {
    expect(failure(`${BOB} CSEND MESSAGE \uD800\0`).message).toBe(
      '1:43: lone surrogate U+D800 cannot be encoded as UTF-8',
    );
  });
  test('UTF-8 cut inside a sequence', () => {
    const error = failure(new Uint8Array([0x55, 0xe2, 0x82]));
    expect(error.code).toBe('INVALID_UTF8');
    expect(error.reason).toBe('invalid UTF-8: the input ends inside the sequence starting at byte 1 (0xe2)');
  });
  test('anything else is a ProtocolError too', () => {
    for (const input of [null, undefined, 42, {}, ['USERNODE']]) {
      expect(failure(input as unknown as string).code).toBe('INVALID_INPUT');
    }
  });
  test('safeParse returns the error instead of throwing it', () => {
    expect(safeParse(`${BOB} LIST`)).toEqual({ ok: true, value: user({ verb: 'LIST' }) });
    const result = safeParse(`${BOB} LIST x`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('TRAILING_INPUT');
  });
});

describe('the rule being read where parsing stopped', () => {
  test.each([
    [`${BOB} FOO`, 'UNEXPECTED_TOKEN', 'UCommand'],
    ['USERNODE', 'UNEXPECTED_TOKEN', 'Alias'],
    [`${BOB} JOINROOM`, 'UNEXPECTED_TOKEN', 'RoomName'],
    ['USERNODE bob 1.2.3 5001 EXIT', 'UNEXPECTED_TOKEN', 'IPAddress'],
    ['SERVERREPLY SERVER a 1.2.3.4 5000 OK', 'UNEXPECTED_TOKEN', 'Status'],
    [`${BOB} SEND al MESSAGEhi\0`, 'UNEXPECTED_TOKEN', 'Message'],
    ['USERNODE bob 1.2.3.456 5001 EXIT', 'BYTE_PATTERN', 'Byte'],
    ['USERNODE bob 1.2.3.4 70000 EXIT', 'PORT_PATTERN', 'Port'],
    [`${BOB} SEND al MESSAGE hi`, 'UNTERMINATED_MESSAGE', 'Message'],
    // Lexical errors: the rule still wanting tokens when those before the error run out.
    ['USERNODE bob 1 .2.3.4 5001 EXIT', 'SPACE_IN_IP_ADDRESS', 'IPAddress'],
    ['SERVERREPLY SERVER a 1.2.3.4 5000+OK', 'MISSING_SEPARATOR', 'Status'],
    ['USERNODE bob 1.2.3.4 😀', 'UNEXPECTED_CHARACTER', 'Port'],
  ])('%j: %s in %s', (input, code, rule) => {
    const error = failure(input);
    expect({ code: error.code, rule: error.rule }).toEqual({ code, rule });
  });

  test('none at the first token, which chooses between Command and ServerReply, nor after a whole packet', () => {
    expect(failure('HELLO').rule).toBeUndefined();
    expect(failure(`${BOB} EXIT EXIT`).rule).toBeUndefined();
    expect(failure(`${BOB} EXIT 😀`).rule).toBeUndefined();
  });
});
