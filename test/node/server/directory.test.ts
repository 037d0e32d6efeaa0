/** The directory: who is where, and how soon a user its server stopped listing drops out. */
import { expect, test } from 'vitest';
import { Directory, ROUND } from '../../../src/node/server/directory.ts';
import { serverAt, userAt } from '../../../src/node/wire.ts';

const beta = serverAt('beta', { ip: '127.0.0.1', port: 7001 });
const at = (alias: string, port: number) => userAt(alias, { ip: '127.0.0.1', port });
const TTL = 30_000;

/** One round of beta's gossip at `t`: KNOWNUSERS parts `ms` apart, each listing some users. */
function round(directory: Directory, t: number, parts: string[][], ms = 1): number {
  for (const [i, aliases] of parts.entries()) {
    directory.listing(
      beta,
      aliases.map((alias, j) => at(alias, 5000 + j)),
      t + i * ms,
    );
    for (const [j, alias] of aliases.entries()) directory.learn(at(alias, 5000 + j), beta, t + i * ms, TTL);
  }
  return t + (parts.length - 1) * ms;
}

test('a user its server no longer lists drops out after that round, long before its entry expires', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann', 'bob'], ['cat']]);
  expect(directory.lookup('ann', 10)).toBeDefined();
  // The next round, a second later, no longer lists bob (it left).
  const end = round(directory, 1000, [['ann'], ['cat']]);
  expect(directory.lookup('bob', end + ROUND + 1)?.user.alias).toBeUndefined();
  expect(directory.lookup('ann', end + ROUND + 1)?.user.alias).toBe('ann');
  expect(directory.lookup('cat', end + ROUND + 1)?.user.alias).toBe('cat');
});

test('while a round is still arriving, users in its later parts are kept', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann'], ['cat']]);
  directory.listing(beta, [at('ann', 5000)], 1000); // the first part of the next round, without cat
  directory.learn(at('ann', 5000), beta, 1000, TTL);
  expect(directory.lookup('cat', 1000 + ROUND / 2)?.user.alias).toBe('cat');
});

test("an empty KNOWNUSERS (the last user left) empties the server's entries; a silent server's expire", () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann']]);
  round(directory, 1000, [[]]);
  expect(directory.lookup('ann', 1000 + ROUND + 1)).toBeUndefined();
  round(directory, 2000, [['bob']]);
  expect(directory.lookup('bob', 2000 + TTL - 1)?.user.alias).toBe('bob');
  expect(directory.lookup('bob', 2000 + TTL)).toBeUndefined();
});

test('a long round, each part soon after the one before, counts as one however long it lasts', () => {
  const directory = new Directory(TTL);
  const parts = Array.from({ length: 20 }, (_, i) => [`u${i}`]);
  const end = round(directory, 0, parts, ROUND / 2); // 20 parts over ten times ROUND
  for (let i = 0; i < 20; i++) expect(directory.lookup(`u${i}`, end + 2 * ROUND)?.user.alias).toBe(`u${i}`);
});

test('a round that follows the last at once (a user left just after the periodic gossip) is a new round', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann', 'bob']]);
  const end = round(directory, ROUND / 2, [['ann']]); // ann listed again: a new round, without bob
  expect(directory.lookup('bob', end + ROUND + 1)).toBeUndefined();
  round(directory, 1000, [['ann']]);
  const empty = round(directory, 1000 + ROUND / 2, [[]]); // ann left too: nobody listed
  expect(directory.lookup('ann', empty + ROUND + 1)).toBeUndefined();
});

test('the same part again, sent on a second channel, is a copy, not a new round', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann', 'bob'], ['ann', 'bob'], ['cat'], ['cat']]); // each part on two channels
  expect(directory.lookup('ann', 3 + ROUND + 1)?.user.alias).toBe('ann');
  expect(directory.lookup('cat', 3 + ROUND + 1)?.user.alias).toBe('cat');
});

test('nobody listed just after an empty round and one registration is still a new round', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [[], [], ['leaver'], []], 5); // gossip, its copy, a user came, the user left
  expect(directory.lookup('leaver', 15 + ROUND + 1)).toBeUndefined();
});

test('a list naming only users not known at that server adds them and begins no round; gossip keeps entries alive', () => {
  const directory = new Directory(TTL);
  round(directory, 0, [['ann', 'bob']]);
  // Newcomers only (incremental gossip): ann and bob are not left out of anything.
  const end = round(directory, 1000, [['cat']]);
  for (const alias of ['ann', 'bob', 'cat'])
    expect(directory.lookup(alias, end + ROUND + 1)?.user.alias).toBe(alias);
  // Its server's other gossip keeps them past their ttl; its next whole round still drops who it leaves out.
  directory.heard(beta, TTL);
  expect(directory.lookup('ann', TTL + 1)?.user.alias).toBe('ann');
  const next = round(directory, TTL + 10, [['ann'], ['cat']]);
  expect(directory.lookup('bob', next + ROUND + 1)).toBeUndefined();
  expect(directory.lookup('cat', next + ROUND + 1)?.user.alias).toBe('cat');
});
