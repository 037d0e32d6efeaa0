/** No amplification: one datagram from an unknown source never makes the server send it more bytes. */
import { expect, test } from 'vitest';
import { measureAmplification } from './amplification.ts';

test('for every command an unknown source can send, bytes sent back to it <= bytes it sent', async () => {
  const rows = await measureAmplification();
  expect(rows.length).toBeGreaterThanOrEqual(14);
  for (const row of rows) expect(row.toSource, row.command).toBeLessThanOrEqual(row.bytesIn);
  // A padded PREFERRED, as user nodes send it, is answered: registration still works.
  expect(rows.find((r) => r.command === 'PREFERRED, padded')?.toSource).toBeGreaterThan(0);
});
