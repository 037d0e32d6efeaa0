/**
 * The checker catches bugs: each planted fault (src/node/planted-faults.ts), switched on alone,
 * makes at least one of the CI runs fail, with the violation that names what it broke.
 */
import { afterEach, expect, test } from 'vitest';
import { CI_RUNS, ciConfig } from '../../sim/ci-seeds.ts';
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
