/**
 * @internal Bugs planted on purpose, one switch each, so that the simulator's checker can be
 * shown to catch them (`sim/`, `test/sim/planted.test.ts`). The set is empty in every real use:
 * only the simulator's self-test adds to it, and it is not exported from the package.
 */
export type PlantedFault =
  /** A server delivers a SEND to its local recipient twice. */
  | 'deliverTwice'
  /** Servers forget relayed FINDs and SENDs at once: floods never end. */
  | 'skipSeenSet'
  /** A restarted server ignores the neighbours it saved: its users are never called home. */
  | 'forgetNeighbours'
  /** A user node goes home on a PREFERRED from any address, unvouched. */
  | 'acceptAnyCallHome'
  /** A server never drops users gone silent. */
  | 'neverExpire'
  /** A server acts on a room event that comes early at once, not after those before it. */
  | 'skipRoomOrder'
  /** A user node that no backup took stays lost: it never asks again. */
  | 'stayLost';

/** The faults switched on now, for the whole process. */
export const plantedFaults = new Set<PlantedFault>();
