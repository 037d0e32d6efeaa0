/** A short load run: every message is accounted for. Rates and latencies: `npm run bench:load`. */
import { expect, test } from 'vitest';
import { uniqueChannel } from './helpers.ts';
import { runLoad } from './load.ts';

test('60 users on 3 servers sending for 2 s: every accepted message is delivered exactly once', async () => {
  const result = await runLoad({
    users: 60,
    rate: 100,
    seconds: 2,
    roomShare: 0.3,
    roomsPerServer: 4,
    channel: uniqueChannel(),
  });
  console.log(JSON.stringify(result));
  expect(result.sent).toBeGreaterThan(100);
  expect(result.accepted + result.refused + result.failed).toBe(result.sent);
  expect(result.failed).toBe(0);
  expect(result.sendLost).toBe(0);
  expect(result.sendDuplicated).toBe(0);
  expect(result.roomDelivered).toBe(result.roomExpected);
  expect(result.roomExpected).toBeGreaterThan(0);
}, 60_000);
