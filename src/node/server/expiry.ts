/**
 * Users who vanish without EXIT (a crash, a closed laptop) would otherwise stay registered and
 * listed forever. A user not heard from for `userExpiry` ms is dropped as if it had sent EXIT; a
 * live user node's keep-alive (PREFERRED again when idle) keeps it well inside that time.
 */
import { plantedFaults } from '../planted-faults.ts';
import type { ServerContext } from './context.ts';
import type { RoomRelay } from './room-relay.ts';

/** Drops the users silent for `userExpiry` (they quit their rooms, told through `rooms`); returns how many. */
export function expireSilentUsers(ctx: ServerContext, now: number, rooms: RoomRelay): number {
  if (plantedFaults.has('neverExpire')) return 0;
  const expired = ctx.registry.silentSince(now - ctx.options.userExpiry);
  for (const registration of expired) {
    rooms.quit(registration, ctx.rooms.leaveAll(registration));
    ctx.registry.remove(registration);
    ctx.emit('userExpired', registration.user, now - registration.lastHeard);
  }
  return expired.length;
}
