/**
 * The shared value checks agree with the parser: a string passes `isAlias` (`isRoomName`) exactly
 * when the parser takes it whole as an Alias (a RoomName), and `isMulticast` exactly when the
 * parser takes it as an IP whose first Byte is 224-239.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isAlias, isMulticast, isRoomName, safeParse } from '../src/index.ts';
import { randomChannel } from '../src/values.ts';
import { name } from './arbitraries.ts';

const runs = { numRuns: 2000 };

/** The parser's answer: does it read `value` whole as the alias of a USERNODE? */
function parserTakesAlias(value: string): boolean {
  const result = safeParse(`USERNODE ${value} 1.2.3.4 5001 LIST`);
  return result.ok && result.value.kind === 'UserCommand' && result.value.sender.alias === value;
}

/** The parser's answer: does it read `value` whole as the room of a JOINROOM? */
function parserTakesRoom(value: string): boolean {
  const result = safeParse(`USERNODE ann 1.2.3.4 5001 JOINROOM ${value}`);
  return (
    result.ok &&
    result.value.kind === 'UserCommand' &&
    result.value.command.verb === 'JOINROOM' &&
    result.value.command.room === value
  );
}

/**
 * The parser's answer for a `value` without whitespace (fields must be separated by whitespace,
 * so such a value that parses is the IP token itself): is it an IP in 224.0.0.0/4?
 */
function parserTakesMulticast(value: string): boolean {
  const result = safeParse(`USERNODE ann ${value} 5001 LIST`);
  if (!result.ok || result.value.kind !== 'UserCommand') return false;
  const first = Number(result.value.sender.ip.split('.')[0]);
  return first >= 224 && first <= 239;
}

/** Names, near-names (a space, a dash, a dot, a NUL, a non-ASCII letter inside) and any text. */
const nameLike = fc.oneof(
  name,
  fc.string({ unit: fc.constantFrom(...'aZ09 \t.-_é\u0000'), maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

const WHITESPACE = /[ \t\r\n]/;

/** A number written with 0-2 leading zeros: sometimes a Byte, sometimes too large or too long. */
const digits = (min: number, max: number) =>
  fc.tuple(fc.constantFrom('', '0', '00'), fc.integer({ min, max })).map(([zeros, n]) => `${zeros}${n}`);

/**
 * Dotted numbers around the edges of 224.0.0.0/4 and of a Byte (first number 215-245, the others
 * 0-300, leading zeros, 3 to 5 parts, empty parts, something after), and any text; never whitespace.
 */
const ipLike = fc
  .oneof(
    fc
      .tuple(
        digits(215, 245),
        fc.nat(255),
        fc.nat(255),
        fc.nat(255),
        fc.constantFrom('', '', '.', '.9', 'x', '0'),
      )
      .map(([first, b, c, d, tail]) => `${[first, b, c, d].join('.')}${tail}`),
    fc
      .tuple(digits(215, 245), fc.array(digits(0, 300), { minLength: 3, maxLength: 3 }))
      .map(([first, rest]) => [first, ...rest].join('.')),
    fc
      .tuple(
        digits(215, 245),
        fc.array(fc.oneof(digits(0, 300), fc.constant('')), { minLength: 2, maxLength: 4 }),
      )
      .map(([first, rest]) => [first, ...rest].join('.')),
    fc.stringMatching(/^[0-9.+\-a-z]{0,16}$/),
    fc.string({ unit: 'binary', maxLength: 16 }),
  )
  .filter((value) => !WHITESPACE.test(value));

describe('isAlias and isRoomName', () => {
  test.prop([nameLike], runs)('isAlias(s) iff the parser takes s as an alias', (value) => {
    expect(isAlias(value)).toBe(parserTakesAlias(value));
  });

  test.prop([nameLike], runs)('isRoomName(s) iff the parser takes s as a room name', (value) => {
    expect(isRoomName(value)).toBe(parserTakesRoom(value));
  });

  test('letters, digits, keywords and MESSAGE pass; anything else or nothing does not', () => {
    for (const value of ['a', 'Zed9', '5001', 'FIND', 'MESSAGE']) expect(isAlias(value), value).toBe(true);
    for (const value of ['', 'a b', 'a-b', 'é', 'ann\n', 'ann\u0000', ' ann']) {
      expect(isAlias(value), JSON.stringify(value)).toBe(false);
      expect(isRoomName(value), JSON.stringify(value)).toBe(false);
    }
  });

  test('a value that is not a string is neither, and does not throw', () => {
    for (const value of [undefined, null, 42, ['ann'], { alias: 'ann' }]) {
      expect(isAlias(value)).toBe(false);
      expect(isRoomName(value)).toBe(false);
    }
  });
});

describe('isMulticast', () => {
  test.prop([ipLike], runs)('isMulticast(s) iff the parser takes s as an IP in 224.0.0.0/4', (value) => {
    expect(isMulticast(value)).toBe(parserTakesMulticast(value));
  });

  test('the ends of 224.0.0.0/4 and leading zeros', () => {
    for (const ip of ['224.0.0.0', '239.255.255.255', '239.255.0.1', '239.001.02.3'])
      expect(isMulticast(ip), ip).toBe(true);
    for (const ip of ['223.255.255.255', '240.0.0.0', '127.0.0.1', '10.0.0.1'])
      expect(isMulticast(ip), ip).toBe(false);
  });

  test('only a whole dotted quad counts, not its first number alone', () => {
    for (const ip of [
      '239',
      '239.1.2',
      '239.1.2.3.4',
      '239.1.2.256',
      '239.1.2.3 ',
      '239.1..3',
      '2390.1.1.1',
      '0224.0.0.1',
      '',
    ])
      expect(isMulticast(ip), JSON.stringify(ip)).toBe(false);
    for (const value of [undefined, 239, { ip: '239.1.2.3' }]) expect(isMulticast(value)).toBe(false);
  });
});

describe('randomChannel', () => {
  test('is a multicast channel in 239.255.0.0/16, host 1-254, port 20000-59999', () => {
    for (let i = 0; i < 1000; i++) {
      const { ip, port } = randomChannel();
      expect(isMulticast(ip), ip).toBe(true);
      const [a, b, , d] = ip.split('.').map(Number);
      expect([a, b]).toEqual([239, 255]);
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(254);
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThan(60000);
    }
  });
});
