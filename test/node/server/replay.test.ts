/** The replay cache on its own: repeats inside the window, forgetting one address, the bound. */
import { expect, test } from 'vitest';
import { parse } from '../../../src/index.ts';
import { ReplayCache } from '../../../src/node/server/replay.ts';

const ann = { ip: '127.0.0.1', port: 5001 };
const bob = { ip: '127.0.0.1', port: 5002 };
const answer = parse('SERVERREPLY SERVER alpha 127.0.0.1 7000 +OK USERNODE ann 127.0.0.1 5001 EXIT');

test('a repeat inside the window gets the recorded answers; after it, nothing', () => {
  const cache = new ReplayCache(5000, 100);
  cache.remember(ann, 'exit', 0, false).push(answer);
  expect(cache.repeatOf(ann, 'exit', 5000)).toEqual([answer]);
  expect(cache.repeatOf(bob, 'exit', 10)).toBeUndefined();
  expect(cache.repeatOf(ann, 'exit', 5001)).toBeUndefined();
});

test('forgetting an address forgets its requests only; a request that starts afresh forgets the earlier ones', () => {
  const cache = new ReplayCache(5000, 100);
  cache.remember(ann, 'a1', 0, false);
  cache.remember(ann, 'a2', 0, false);
  cache.remember(bob, 'b1', 0, false);
  cache.forget(ann);
  expect(cache.repeatOf(ann, 'a1', 1)).toBeUndefined();
  expect(cache.repeatOf(ann, 'a2', 1)).toBeUndefined();
  expect(cache.repeatOf(bob, 'b1', 1)).toEqual([]);
  cache.remember(bob, 'b2', 2, true);
  expect(cache.repeatOf(bob, 'b1', 3)).toBeUndefined();
  expect(cache.repeatOf(bob, 'b2', 3)).toEqual([]);
});

test('beyond its bound the oldest requests go first, and forgetting still finds the rest', () => {
  const cache = new ReplayCache(5000, 2);
  cache.remember(ann, 'a1', 0, false);
  cache.remember(bob, 'b1', 1, false);
  cache.remember(ann, 'a2', 2, false);
  expect(cache.repeatOf(ann, 'a1', 3)).toBeUndefined();
  expect(cache.repeatOf(bob, 'b1', 3)).toEqual([]);
  expect(cache.repeatOf(ann, 'a2', 3)).toEqual([]);
  cache.forget(ann);
  expect(cache.repeatOf(ann, 'a2', 3)).toBeUndefined();
  expect(cache.repeatOf(bob, 'b1', 3)).toEqual([]);
});
