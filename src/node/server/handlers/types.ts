import type { SCommand, ServerCommand, UCommand, UserCommand } from '../../../ast.ts';
import type { ServerContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import type { Registration } from '../registry.ts';

/** The member of a command union whose `verb` admits V, narrowed to V. */
type WithVerb<C, V> = C extends { verb: infer W } ? (V extends W ? C & { verb: V } : never) : never;

export type UserPacket<V extends UCommand['verb']> = UserCommand & { command: WithVerb<UCommand, V> };
export type ServerPacket<V extends SCommand['verb']> = ServerCommand & { command: WithVerb<SCommand, V> };
export type FindPacket = UserPacket<'FIND'>;

/** A user command from a registered user (PREFERRED excepted: it is how users register). */
export type UserHandler<V extends UCommand['verb']> = (
  ctx: ServerContext,
  packet: UserPacket<V>,
  inbound: Inbound,
  registration: Registration,
) => void;
