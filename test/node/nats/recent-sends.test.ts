/** What is published again after a reconnect: the window before the loss and the outage itself. */
import { expect, test } from 'vitest';
import { RecentSends } from '../../../src/node/nats/recent-sends.ts';

const bytes = (n: number) => new Uint8Array([n]);
const subjects = (sent: { subject: string }[]) => sent.map((s) => s.subject);

test('after a reconnect, what was sent within the window before the loss and during the outage', () => {
  const recent = new RecentSends(1000, 100);
  recent.add('old', bytes(1), 0);
  recent.add('before', bytes(2), 5000);
  recent.lost(5500);
  recent.add('during', bytes(3), 6000);
  recent.add('long after', bytes(4), 9000); // an outage longer than the window keeps it all
  expect(subjects(recent.takeSinceLoss(9100))).toEqual(['before', 'during', 'long after']);
  expect(recent.takeSinceLoss(9200)).toEqual([]); // taken once
});

test('without a loss nothing is taken, and the window and the limit bound what is kept', () => {
  const recent = new RecentSends(1000, 3);
  for (let i = 0; i < 10; i++) recent.add(`m${i}`, bytes(i), 5000 + i);
  expect(recent.takeSinceLoss(5010)).toEqual([]);
  recent.lost(5010);
  expect(subjects(recent.takeSinceLoss(5010))).toEqual(['m7', 'm8', 'm9']);
  const off = new RecentSends(0, 3);
  off.add('m', bytes(0), 0);
  off.lost(0);
  expect(off.takeSinceLoss(0)).toEqual([]);
});
