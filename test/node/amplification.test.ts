/**
 * At most 3x (QUIC's rule, credit.ts): one datagram from an unknown source never makes the server
 * send more than three times its bytes to the source, or to unicast addresses in all (a new user's
 * gossip goes to the server's own channels, bounded by the rate limits). A DISCOVER no longer makes a
 * neighbour by itself (only an answer to ours does), so it sets off no announcements either.
 */
import { expect, test } from 'vitest';
import { AMPLIFICATION } from '../../src/node/server/credit.ts';
import { measureAmplification } from './amplification.ts';

const NEW_NEIGHBOUR = 'DISCOVER of a free alias, padded';

test('for every command an unknown source can send, bytes sent because of it <= 3x the bytes it sent', async () => {
  const rows = await measureAmplification();
  expect(rows.length).toBeGreaterThanOrEqual(15);
  for (const row of rows) {
    expect(row.toSource, row.command).toBeLessThanOrEqual(AMPLIFICATION * row.bytesIn);
    expect(row.unicast, row.command).toBeLessThanOrEqual(AMPLIFICATION * row.bytesIn);
  }
  // Joining works: PREFERRED is answered as the reference user node sends it, unpadded (its +OK
  // lists only the neighbours those bytes paid for), and padded; DISCOVER padded, as the reference
  // server sends it.
  expect(rows.find((r) => r.command === 'PREFERRED, unpadded')?.toSource).toBeGreaterThan(0);
  expect(rows.find((r) => r.command === 'PREFERRED, padded')?.toSource).toBeGreaterThan(0);
  expect(rows.find((r) => r.command === NEW_NEIGHBOUR)?.toSource).toBeGreaterThan(0);
});
