/** RoomOrder: each member's room events acted on once, in their number's order, a gap held for a while. */
import { expect, test } from 'vitest';
import { VirtualClock } from '../../../src/node/clock.ts';
import { HELD_PER_STREAM, RoomOrder } from '../../../src/node/server/room-order.ts';

function order(limit = 100) {
  const clock = new VirtualClock();
  const acted: string[] = [];
  const rooms = new RoomOrder(clock, 250, limit);
  const take = (key: string, epoch: string, n: number) =>
    rooms.take(key, epoch, n, () => acted.push(`${key} ${epoch}.${n}`));
  return { clock, acted, rooms, take };
}

test('events arriving out of order are acted on in order; copies are dropped', () => {
  const { acted, take } = order();
  expect(take('ann', 'e', 1)).toBe('new');
  expect(take('ann', 'e', 3)).toBe('new'); // early: held
  expect(take('ann', 'e', 3)).toBe('copy');
  expect(acted).toEqual(['ann e.1']);
  expect(take('ann', 'e', 2)).toBe('new');
  expect(take('ann', 'e', 1)).toBe('copy');
  expect(acted).toEqual(['ann e.1', 'ann e.2', 'ann e.3']);
});

test('a gap that does not fill within the hold is given up, and what was held goes on in order', async () => {
  const { clock, acted, take } = order();
  take('ann', 'e', 1);
  take('ann', 'e', 4);
  take('ann', 'e', 3);
  expect(acted).toEqual(['ann e.1']);
  await clock.sleep(249);
  expect(acted).toEqual(['ann e.1']);
  await clock.sleep(2);
  expect(acted).toEqual(['ann e.1', 'ann e.3', 'ann e.4']);
  expect(take('ann', 'e', 2)).toBe('copy'); // too late: its place has passed
});

test('a new epoch (the server restarted, or the member moved) starts the numbers afresh; streams are separate', () => {
  const { acted, take } = order();
  take('ann', 'e', 5);
  take('bob', 'e', 9);
  take('ann', 'f', 1);
  take('ann', 'f', 2);
  expect(acted).toEqual(['ann e.5', 'bob e.9', 'ann f.1', 'ann f.2']);
});

test('at most HELD_PER_STREAM events wait; then the gap is given up at once', () => {
  const { acted, take } = order();
  take('ann', 'e', 1);
  for (let n = 3; n < 3 + HELD_PER_STREAM; n++) take('ann', 'e', n);
  expect(acted).toEqual(['ann e.1']);
  take('ann', 'e', 3 + HELD_PER_STREAM);
  expect(acted.length).toBe(HELD_PER_STREAM + 2);
  expect(acted.at(-1)).toBe(`ann e.${3 + HELD_PER_STREAM}`);
});

test('at most `limit` streams are kept; the least recently used goes first, acting on what it held', () => {
  const { acted, rooms, take } = order(2);
  take('ann', 'e', 1);
  take('ann', 'e', 3); // held
  take('bob', 'e', 1);
  take('cat', 'e', 1); // ann's stream is dropped
  expect(rooms.size).toBe(2);
  expect(acted).toEqual(['ann e.1', 'bob e.1', 'ann e.3', 'cat e.1']);
});
