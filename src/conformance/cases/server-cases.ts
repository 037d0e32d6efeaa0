/** Every server case, in the order the reports list them: by section. */
import { type ConformanceCase, inSectionOrder } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { CHANNEL_CASES } from './server-channels.ts';
import { DISCOVERY_CASES } from './server-discovery.ts';
import { FIND_CASES } from './server-find.ts';
import { GOSSIP_CASES } from './server-gossip.ts';
import { MESSAGE_CASES } from './server-messages.ts';
import { RECOVERY_CASES } from './server-recovery.ts';
import { ROBUSTNESS_CASES } from './server-robustness.ts';
import { ROOM_CASES } from './server-rooms.ts';
import { USER_COMMAND_CASES } from './server-user-commands.ts';
import { WIRE_CASES } from './server-wire.ts';

const ALL = [
  ...USER_COMMAND_CASES,
  ...GOSSIP_CASES,
  ...DISCOVERY_CASES,
  ...CHANNEL_CASES,
  ...RECOVERY_CASES,
  ...FIND_CASES,
  ...ROOM_CASES,
  ...MESSAGE_CASES,
  ...WIRE_CASES,
  ...ROBUSTNESS_CASES,
];

/** Every server case, by section in the specification's order. */
export const SERVER_CASES: readonly ConformanceCase<ServerCaseContext>[] = inSectionOrder(ALL);
