/**
 * fast-check arbitraries for packets, each paired with its wire tokens written out here, not by
 * the serializer under test. They lean on the corners: keywords, digits and MESSAGE as names,
 * bytes and ports at their limits with leading zeros, messages with newlines, keywords, any Unicode.
 */
import fc from 'fast-check';
import type { Command, Packet, SCommand, Server, ServerReply, UCommand, UserNode } from '../src/ast.ts';

/** A value and the tokens that write it. A token may be written in several equivalent ways. */
export interface Written<T> {
  value: T;
  /** Each token: its canonical form first, then equivalent forms (leading zeros). */
  tokens: string[][];
}

const KEYWORDS = [
  'SERVER',
  'USERNODE',
  'SERVERREPLY',
  'DISCOVER',
  'KNOWNUSERS',
  'KNOWNSERVERS',
  'PREFERRED',
  'JOINCHANNEL',
  'FIND',
  'CREATEROOM',
  'JOINROOM',
  'LEAVEROOM',
  'ULIST',
  'LISTROOMS',
  'LIST',
  'CSEND',
  'EXIT',
  'ALIAS',
  'REMOVE',
  'SEND',
  'SETALIAS',
  'MESSAGE',
];

export const name = fc.oneof(
  fc.constantFrom(...KEYWORDS, '0', '5001', '255', 'a'),
  fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
);

const byte = fc.oneof(
  fc.constantFrom(0, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255),
  fc.integer({ min: 0, max: 255 }),
);

/** A byte may be written with leading zeros, up to 3 digits. */
function byteForms(value: number): string[] {
  const digits = String(value);
  return [digits, ...['0', '00'].map((zeros) => zeros + digits).filter((form) => form.length <= 3)];
}

export const ip: fc.Arbitrary<Written<string>> = fc.tuple(byte, byte, byte, byte).map((bytes) => ({
  value: bytes.join('.'),
  // The four bytes and dots form one token; the forms pick the same leading zeros for every byte.
  tokens: [
    [0, 1, 2].map((pad) => bytes.map((b) => byteForms(b)[Math.min(pad, byteForms(b).length - 1)]).join('.')),
  ],
}));

const portNumber = fc.oneof(
  fc.constantFrom(0, 80, 999, 1000, 8450, 9999, 10000, 65535),
  fc.integer({ min: 0, max: 65535 }),
);

export function portForms(value: number): string[] {
  const four = String(value).padStart(4, '0');
  const five = String(value).padStart(5, '0');
  return four === five ? [four] : [four, five];
}

export const port: fc.Arbitrary<Written<number>> = portNumber.map((value) => ({
  value,
  tokens: [portForms(value)],
}));

export const content = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '  lead', 'FIND SERVER', 'MESSAGE x', 'line\nline\r\n', '👋 你好', '+OK -ERR'),
  )
  .filter((text) => !text.includes('\0') && text.isWellFormed());

const message: fc.Arbitrary<Written<string>> = content.map((value) => ({
  value,
  tokens: [[`MESSAGE ${value}\0`]],
}));

function address<K extends 'Server' | 'UserNode'>(kind: K, keyword: string) {
  return fc.tuple(name, ip, port).map(([alias, where, at]) => ({
    value: { kind, alias, ip: where.value, port: at.value } as K extends 'Server' ? Server : UserNode,
    tokens: [[keyword], [alias], ...where.tokens, ...at.tokens],
  }));
}

export const server: fc.Arbitrary<Written<Server>> = address('Server', 'SERVER');
export const userNode: fc.Arbitrary<Written<UserNode>> = address('UserNode', 'USERNODE');

function many<T>(item: fc.Arbitrary<Written<T>>, maxLength = 3): fc.Arbitrary<Written<T[]>> {
  return fc.array(item, { maxLength }).map((items) => ({
    value: items.map((i) => i.value),
    tokens: items.flatMap((i) => i.tokens),
  }));
}

const verb = (word: string) => [[word]];

export const sCommand: fc.Arbitrary<Written<SCommand>> = fc.oneof(
  name.map((alias) => ({
    value: { verb: 'DISCOVER', alias } as SCommand,
    tokens: [...verb('DISCOVER'), [alias]],
  })),
  many(userNode).map((users) => ({
    value: { verb: 'KNOWNUSERS', users: users.value } as SCommand,
    tokens: [...verb('KNOWNUSERS'), ...users.tokens],
  })),
  many(server).map((servers) => ({
    value: { verb: 'KNOWNSERVERS', servers: servers.value } as SCommand,
    tokens: [...verb('KNOWNSERVERS'), ...servers.tokens],
  })),
  server.map((s) => ({
    value: { verb: 'PREFERRED', server: s.value } as SCommand,
    tokens: [...verb('PREFERRED'), ...s.tokens],
  })),
  fc.tuple(ip, port).map(([where, at]) => ({
    value: { verb: 'JOINCHANNEL', ip: where.value, port: at.value } as SCommand,
    tokens: [...verb('JOINCHANNEL'), ...where.tokens, ...at.tokens],
  })),
);

export const uCommand: fc.Arbitrary<Written<UCommand>> = fc.oneof(
  fc.tuple(fc.constantFrom('FIND', 'REMOVE'), name).map(([v, alias]) => ({
    value: { verb: v, alias } as UCommand,
    tokens: [...verb(v), [alias]],
  })),
  server.map((s) => ({
    value: { verb: 'PREFERRED', server: s.value } as UCommand,
    tokens: [...verb('PREFERRED'), ...s.tokens],
  })),
  fc.tuple(fc.constantFrom('CREATEROOM', 'JOINROOM', 'LEAVEROOM', 'ULIST'), name).map(([v, room]) => ({
    value: { verb: v, room } as UCommand,
    tokens: [...verb(v), [room]],
  })),
  fc
    .constantFrom('LISTROOMS', 'EXIT', 'LIST')
    .map((v) => ({ value: { verb: v } as UCommand, tokens: verb(v) })),
  message.map((m) => ({
    value: { verb: 'CSEND', message: m.value } as UCommand,
    tokens: [...verb('CSEND'), ...m.tokens],
  })),
  fc.tuple(fc.constantFrom('ALIAS', 'SETALIAS'), userNode).map(([v, u]) => ({
    value: { verb: v, user: u.value } as UCommand,
    tokens: [...verb(v), ...u.tokens],
  })),
  fc.tuple(name, message).map(([alias, m]) => ({
    value: { verb: 'SEND', alias, message: m.value } as UCommand,
    tokens: [...verb('SEND'), [alias], ...m.tokens],
  })),
);

export const command: fc.Arbitrary<Written<Command>> = fc.oneof(
  fc.tuple(server, sCommand).map(([s, c]) => ({
    value: { kind: 'ServerCommand', sender: s.value, command: c.value } as Command,
    tokens: [...s.tokens, ...c.tokens],
  })),
  fc.tuple(userNode, uCommand).map(([u, c]) => ({
    value: { kind: 'UserCommand', sender: u.value, command: c.value } as Command,
    tokens: [...u.tokens, ...c.tokens],
  })),
);

/** Replies include the ambiguous shapes of decision 10; `isAmbiguous` tells them apart. */
export const serverReply: fc.Arbitrary<Written<ServerReply>> = fc
  .tuple(
    server,
    fc.constantFrom('+OK', '-ERR' as const),
    command,
    many(server),
    many(userNode),
    many(message),
  )
  .map(([s, status, c, servers, users, messages]) => ({
    value: {
      kind: 'ServerReply',
      sender: s.value,
      status: status as ServerReply['status'],
      command: c.value,
      servers: servers.value,
      users: users.value,
      messages: messages.value,
    },
    tokens: [
      ...verb('SERVERREPLY'),
      ...s.tokens,
      [status],
      ...c.tokens,
      ...servers.tokens,
      ...users.tokens,
      ...messages.tokens,
    ],
  }));

export const packet: fc.Arbitrary<Written<Packet>> = fc.oneof(command, serverReply);

/** True for the two reply shapes whose greedy lists would read back differently (decision 10). */
export function isAmbiguous(p: Packet): boolean {
  if (p.kind !== 'ServerReply' || p.command.kind !== 'ServerCommand') return false;
  const echoed = p.command.command;
  if (echoed.verb === 'KNOWNSERVERS') return p.servers.length > 0;
  if (echoed.verb === 'KNOWNUSERS') return p.servers.length === 0 && p.users.length > 0;
  return false;
}

/** Canonical text: canonical token forms joined by single spaces. */
export function canonical(written: Written<unknown>): string {
  return written.tokens.map((forms) => forms[0]).join(' ');
}

const whitespace = fc.stringMatching(/^[ \t\r\n]{1,3}$/);

/**
 * The same packet written differently: any whitespace between tokens (none needed after a
 * Message's NUL), leading and trailing whitespace, and any equivalent form of each token.
 */
export function variant(written: Written<unknown>): fc.Arbitrary<string> {
  const n = written.tokens.length;
  return fc
    .tuple(
      fc.array(whitespace, { minLength: n + 1, maxLength: n + 1 }),
      fc.array(fc.nat(), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    )
    .map(([gaps, picks, tight]) => {
      let text = gaps[0] ?? '';
      written.tokens.forEach((forms, i) => {
        if (i > 0) {
          // After a Message (its NUL ends it) the separator may be left out.
          const afterMessage = (written.tokens[i - 1]?.[0] ?? '').endsWith('\0');
          text += afterMessage && tight[i] ? '' : (gaps[i] ?? ' ');
        }
        text += forms[(picks[i] ?? 0) % forms.length];
      });
      return text + (gaps[n] ?? '');
    });
}

const fragment = fc.oneof(
  fc.constantFrom(
    ...KEYWORDS,
    '\0',
    '.',
    ' ',
    '\n',
    '+OK',
    '-ERR',
    '256',
    '70000',
    'MESSAGE ',
    '1.2.3.4',
    '0080',
  ),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

/** A valid packet's text with a few random edits: cuts, insertions, replacements, truncation. */
export const mutated: fc.Arbitrary<string> = fc
  .tuple(packet, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fragment), { minLength: 1, maxLength: 4 }))
  .map(([written, edits]) => {
    let text = canonical(written);
    for (const [at, cut, insert] of edits) {
      const position = at % (text.length + 1);
      text = text.slice(0, position) + insert + text.slice(position + cut);
    }
    return text;
  });

/**
 * A packet's tokens (the dots of an address as tokens of their own) joined again with one or two
 * gaps changed (to nothing, or to other whitespace; around a dot, to some), and sometimes one
 * token dropped, repeated or replaced by a keyword: near misses of the separator rule and of
 * the grammar, where two parsers of the same grammar are most likely to part.
 */
export const spliced: fc.Arbitrary<string> = packet.chain((written) => {
  const tokens = written.tokens.flatMap((forms) => (forms[0] ?? '').split(/(\.)/).filter((t) => t !== ''));
  const n = tokens.length;
  const gap = fc.tuple(fc.nat({ max: n }), fc.constantFrom('', ' ', '\t', '\n', '  ', '\r\n'));
  return fc
    .tuple(
      fc.array(gap, { minLength: 1, maxLength: 2 }),
      fc.option(
        fc.tuple(
          fc.nat({ max: n - 1 }),
          fc.constantFrom('drop', 'repeat', 'replace'),
          fc.constantFrom(...KEYWORDS),
        ),
        { freq: 1 },
      ),
    )
    .map(([changes, edit]) => {
      // The canonical gaps: none at the ends, none beside a dot, one space elsewhere.
      const gaps: string[] = tokens.map((token, i) =>
        i === 0 || token === '.' || tokens[i - 1] === '.' ? '' : ' ',
      );
      gaps.push('');
      for (const [at, separator] of changes) gaps[at] = separator;
      // Each token with the gap before it, so an edit moves a token and its gap together.
      const pieces = tokens.map((token, i) => (gaps[i] ?? '') + token);
      if (edit) {
        const [at, how, keyword] = edit;
        if (how === 'drop') pieces.splice(at, 1);
        else if (how === 'repeat') pieces.splice(at, 0, ` ${tokens[at]}`);
        else pieces[at] = `${gaps[at] || ' '}${keyword}`;
      }
      return pieces.join('') + (gaps[n] ?? '');
    });
});
