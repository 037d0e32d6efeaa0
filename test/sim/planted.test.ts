/**
 * The checker catches bugs: each planted fault (src/node/planted-faults.ts), switched on alone,
 * makes at least one of the CI runs fail, with the violation that names what it broke.
 */
import { afterEach, expect, test } from 'vitest';
import { CI_RUNS, ciConfig } from '../../sim/ci-seeds.ts';
import { DEFAULT_CONFIG } from '../../sim/config.ts';
import { scheduleFor, simulate } from '../../sim/run.ts';
import { type PlantedFault, plantedFaults } from '../../src/node/planted-faults.ts';

afterEach(() => plantedFaults.clear());

/** Each fault, and words of the violation that must catch it. */
const PLANTED: [PlantedFault, RegExp][] = [
  ['deliverTwice', /delivery of .* 2 times/],
  ['skipSeenSet', /datagrams in one second|2 times/],
  ['forgetNeighbours', /not home at/],
  ['acceptAnyCallHome', /which is no server/],
  ['neverExpire', /found a user gone since/],
  ['stayLost', /on no server .* after the faults ended/],
];

test.each(PLANTED)(
  'planted fault %s is caught within the CI runs',
  { timeout: 240_000 },
  async (fault, expected) => {
    plantedFaults.add(fault);
    let caught: string | undefined;
    for (let i = 0; i < CI_RUNS && !caught; i++) {
      const result = await simulate(scheduleFor(ciConfig(i)));
      caught = result.violations.find((v) => expected.test(v.what))?.what;
    }
    expect(caught).toMatch(expected);
  },
);

/** Runs a network that only reorders (jitter up to 300 ms), where lines overtake each other between servers. */
const REORDERING_RUNS = 40;

test('planted fault skipRoomOrder is caught in runs that reorder', { timeout: 240_000 }, async () => {
  plantedFaults.add('skipRoomOrder');
  let caught: string | undefined;
  for (let seed = 1; seed <= REORDERING_RUNS && !caught; seed++) {
    const config = { ...DEFAULT_CONFIG, seed, minutes: 1, faults: ['reorder' as const] };
    const result = await simulate(scheduleFor(config));
    caught = result.violations.find((v) => /said later/.test(v.what))?.what;
  }
  expect(caught).toMatch(/line c\d+ of \S+ handed to \d+ after c\d+, said later/);
});
