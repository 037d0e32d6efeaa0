/** No amplification: one datagram from an unknown source never makes the server send more bytes. */
import { expect, test } from 'vitest';
import { measureAmplification } from './amplification.ts';

/**
 * The one datagram whose effects may outweigh it: a server's (padded) DISCOVER of a free alias,
 * which makes it a neighbour. Telling the server's own users and channels of a new neighbour costs
 * bytes in proportion to the users, which no padding can cover (docs/security.md).
 */
const NEW_NEIGHBOUR = 'DISCOVER of a free alias, padded';

test('for every command an unknown source can send, bytes sent because of it <= bytes it sent', async () => {
  const rows = await measureAmplification();
  expect(rows.length).toBeGreaterThanOrEqual(15);
  for (const row of rows) {
    expect(row.toSource, row.command).toBeLessThanOrEqual(row.bytesIn);
    if (row.command !== NEW_NEIGHBOUR) expect(row.total, row.command).toBeLessThanOrEqual(row.bytesIn);
  }
  // Padded as the reference nodes send them, PREFERRED and DISCOVER are answered: joining works.
  expect(rows.find((r) => r.command === 'PREFERRED, padded')?.toSource).toBeGreaterThan(0);
  expect(rows.find((r) => r.command === NEW_NEIGHBOUR)?.toSource).toBeGreaterThan(0);
});
