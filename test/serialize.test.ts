import { describe, expect, test } from 'vitest';
import { type Packet, SerializeError, serialize } from '../src/index.ts';

const bob = { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 } as const;
const alpha = { kind: 'Server', alias: 'alpha', ip: '10.0.0.1', port: 80 } as const;

function userCommand(command: object): Packet {
  return { kind: 'UserCommand', sender: bob, command } as Packet;
}

function rejection(packet: unknown): SerializeError {
  try {
    serialize(packet as Packet);
  } catch (error) {
    expect(error).toBeInstanceOf(SerializeError);
    return error as SerializeError;
  }
  throw new Error('expected serialize to throw');
}

describe('canonical text', () => {
  test('single spaces, ports padded to 4 digits', () => {
    expect(serialize(userCommand({ verb: 'PREFERRED', server: alpha }))).toBe(
      'USERNODE bob 127.0.0.1 5001 PREFERRED SERVER alpha 10.0.0.1 0080',
    );
    expect(
      serialize({
        kind: 'ServerCommand',
        sender: alpha,
        command: { verb: 'JOINCHANNEL', ip: '230.0.0.2', port: 0 },
      }),
    ).toBe('SERVER alpha 10.0.0.1 0080 JOINCHANNEL 230.0.0.2 0000');
  });
  test('a Message is MESSAGE, a space, the content and NUL', () => {
    expect(serialize(userCommand({ verb: 'SEND', alias: 'MESSAGE', message: 'hi\nthere' }))).toBe(
      'USERNODE bob 127.0.0.1 5001 SEND MESSAGE MESSAGE hi\nthere\0',
    );
    expect(serialize(userCommand({ verb: 'CSEND', message: '' }))).toBe(
      'USERNODE bob 127.0.0.1 5001 CSEND MESSAGE \0',
    );
  });
  test('a ServerReply lists Servers, then UserNodes, then Messages', () => {
    const reply: Packet = {
      kind: 'ServerReply',
      sender: alpha,
      status: '-ERR',
      command: userCommand({ verb: 'LISTROOMS' }) as Packet & { kind: 'UserCommand' },
      servers: [alpha],
      users: [bob],
      messages: ['a', 'b'],
    };
    expect(serialize(reply)).toBe(
      'SERVERREPLY SERVER alpha 10.0.0.1 0080 -ERR USERNODE bob 127.0.0.1 5001 LISTROOMS SERVER alpha 10.0.0.1 0080 USERNODE bob 127.0.0.1 5001 MESSAGE a\0 MESSAGE b\0',
    );
  });
  test('empty lists', () => {
    expect(
      serialize({ kind: 'ServerCommand', sender: alpha, command: { verb: 'KNOWNUSERS', users: [] } }),
    ).toBe('SERVER alpha 10.0.0.1 0080 KNOWNUSERS');
  });
});

describe('validation', () => {
  test.each([
    ['alias with a space', userCommand({ verb: 'FIND', alias: 'al ice' }), 'command.alias'],
    ['empty alias', userCommand({ verb: 'FIND', alias: '' }), 'command.alias'],
    ['room with a dot', userCommand({ verb: 'JOINROOM', room: 'a.b' }), 'command.room'],
    ['message with NUL', userCommand({ verb: 'CSEND', message: 'a\0b' }), 'command.message'],
    ['message with a lone surrogate', userCommand({ verb: 'CSEND', message: 'a\uD800' }), 'command.message'],
    ['unknown verb', userCommand({ verb: 'SHOUT' }), 'command.verb'],
    ['server verb from a user', userCommand({ verb: 'DISCOVER', alias: 'x' }), 'command.verb'],
    ['fractional port', { ...userCommand({ verb: 'LIST' }), sender: { ...bob, port: 80.5 } }, 'sender.port'],
    ['port too large', { ...userCommand({ verb: 'LIST' }), sender: { ...bob, port: 65536 } }, 'sender.port'],
    ['port as text', { ...userCommand({ verb: 'LIST' }), sender: { ...bob, port: '5001' } }, 'sender.port'],
    [
      'leading zeros in IP',
      { ...userCommand({ verb: 'LIST' }), sender: { ...bob, ip: '010.0.0.1' } },
      'sender.ip',
    ],
    [
      'byte out of range',
      { ...userCommand({ verb: 'LIST' }), sender: { ...bob, ip: '1.2.3.256' } },
      'sender.ip',
    ],
    ['three bytes', { ...userCommand({ verb: 'LIST' }), sender: { ...bob, ip: '1.2.3' } }, 'sender.ip'],
    ['Server where a UserNode belongs', { ...userCommand({ verb: 'LIST' }), sender: alpha }, 'sender'],
    ['unknown kind', { kind: 'Datagram' }, 'kind'],
    [
      'bad nested user',
      {
        kind: 'ServerCommand',
        sender: alpha,
        command: { verb: 'KNOWNUSERS', users: [bob, { ...bob, alias: '-' }] },
      },
      'command.users[1].alias',
    ],
    [
      'bad status',
      {
        kind: 'ServerReply',
        sender: alpha,
        status: 'OK',
        command: userCommand({ verb: 'LIST' }),
        servers: [],
        users: [],
        messages: [],
      },
      'status',
    ],
    [
      'missing list',
      {
        kind: 'ServerReply',
        sender: alpha,
        status: '+OK',
        command: userCommand({ verb: 'LIST' }),
        servers: [],
        users: [],
      },
      'messages',
    ],
    [
      'reply echoing a reply',
      {
        kind: 'ServerReply',
        sender: alpha,
        status: '+OK',
        command: { kind: 'ServerReply' },
        servers: [],
        users: [],
        messages: [],
      },
      'command.kind',
    ],
  ])('%s is refused at %s', (_name, packet, path) => {
    const error = rejection(packet);
    expect(error.code).toBe('INVALID_PACKET');
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  test('not an object', () => {
    expect(rejection(null).message).toBe('a packet must be an object');
  });
});

describe('ambiguous replies (greedy lists)', () => {
  const reply = (verb: 'KNOWNUSERS' | 'KNOWNSERVERS', servers: unknown[], users: unknown[]) => ({
    kind: 'ServerReply',
    sender: alpha,
    status: '+OK',
    command: {
      kind: 'ServerCommand',
      sender: alpha,
      command: verb === 'KNOWNUSERS' ? { verb, users: [] } : { verb, servers: [] },
    },
    servers,
    users,
    messages: [],
  });
  test('echoed KNOWNSERVERS with its own Servers is refused', () => {
    expect(rejection(reply('KNOWNSERVERS', [alpha], [])).code).toBe('AMBIGUOUS_PACKET');
  });
  test('echoed KNOWNUSERS with UserNodes but no Servers is refused', () => {
    expect(rejection(reply('KNOWNUSERS', [], [bob])).code).toBe('AMBIGUOUS_PACKET');
  });
  test('the unambiguous shapes are written', () => {
    expect(serialize(reply('KNOWNUSERS', [alpha], [bob]) as Packet)).toBe(
      'SERVERREPLY SERVER alpha 10.0.0.1 0080 +OK SERVER alpha 10.0.0.1 0080 KNOWNUSERS SERVER alpha 10.0.0.1 0080 USERNODE bob 127.0.0.1 5001',
    );
    expect(serialize(reply('KNOWNSERVERS', [], [bob]) as Packet)).toBe(
      'SERVERREPLY SERVER alpha 10.0.0.1 0080 +OK SERVER alpha 10.0.0.1 0080 KNOWNSERVERS USERNODE bob 127.0.0.1 5001',
    );
  });
});
