/** The same delivery arriving again within the window is one message; after it, a new one. */
import { expect, test } from 'vitest';
import type { ChatMessage } from '../../../src/node/index.ts';
import { RecentDeliveries } from '../../../src/node/user/duplicates.ts';

const hi: ChatMessage = {
  kind: 'direct',
  from: { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5002 },
  text: 'hi',
};

test('a copy within the window is dropped; the window runs from the message taken, not from its copies', () => {
  const recent = new RecentDeliveries(2000);
  expect([0, 1500, 2000, 3500, 4000].map((t) => recent.isNew(hi, t))).toEqual([
    true,
    false,
    true,
    false,
    true,
  ]);
  expect(recent.isNew({ ...hi, text: 'hello' }, 4001)).toBe(true);
  const never = new RecentDeliveries(0);
  expect([never.isNew(hi, 0), never.isNew(hi, 0)]).toEqual([true, true]);
});
