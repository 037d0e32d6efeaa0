/**
 * Every verb the server acts on, commands and replies alike, with its policy beside its handler
 * (anchor: aedes `lib/handlers/index.js`, one `handle` for every packet type). The dispatch
 * (dispatch.ts) applies the policy; a handler runs only for a datagram that passed it.
 */
import type { SCommand, ServerReply, UCommand } from '../../ast.ts';
import type { JoinChannelReply } from './channels.ts';
import type { DiscoverReply } from './discovery.ts';
import { addAlias, removeAlias, setAlias } from './handlers/aliases.ts';
import { find, relayedFind } from './handlers/find.ts';
import { knownServers, knownUsers } from './handlers/gossip.ts';
import { relayedSend, send } from './handlers/messaging.ts';
import { serverPreferred, userPreferred } from './handlers/preferred.ts';
import { createRoom, joinRoom, leaveRoom, listMembers, listRooms, roomSend } from './handlers/rooms.ts';
import {
  discover,
  discoverReply,
  joinChannel,
  joinChannelReply,
  preferredReply,
} from './handlers/servers.ts';
import { exit, list } from './handlers/session.ts';
import type { Handler, OpenUserHandler, ServerHandler, UserHandler } from './handlers/types.ts';
import type { PreferredReply } from './recovery.ts';

/**
 * How an identical repeat of a user request (the same bytes from the same address within
 * `replayWindow`, replay.ts) is treated:
 * - `query`: answered afresh every time; a retry of a query is just another query.
 * - `delivery`: a retry after a lost reply: answered from the replay cache, not delivered again.
 * - `change`: starts afresh (forgets what the address sent before); its own repeat is answered
 *   from the cache.
 * - `register`: starts afresh and is not cached (PREFERRED: a user registering again), unless
 *   it changes nothing (the same registration again: a user node checking that the server lives).
 */
export type Repeat = 'query' | 'delivery' | 'change' | 'register';

interface UserVerbPolicy<V extends UCommand['verb']> {
  repeat: Repeat;
  /**
   * The handler for this command passed on by a neighbour server, in the user's name but not from
   * its address (FIND and SEND travel between servers). Absent: only the user itself may send it.
   */
  relayed?: OpenUserHandler<V>;
}

/**
 * A user command's policy and handler. `from` says who may send it: `user`, any user node from
 * the address it names (PREFERRED, which is how a user registers); `registered`, a user node
 * registered here under an alias it holds (Section I.i), the handler finding its registration in
 * the inbound.
 */
export type UserVerb<V extends UCommand['verb']> = UserVerbPolicy<V> &
  ({ from: 'user'; handle: OpenUserHandler<V> } | { from: 'registered'; handle: UserHandler<V> });

/** A server command: from a server, at the unicast address it names. */
export interface ServerVerb<V extends SCommand['verb']> {
  from: 'server';
  handle: ServerHandler<V>;
}

/**
 * A reply to a command this server sent, from the server it was sent to (at the address it
 * names), handed to the mechanism waiting for it. Replies to anything else are ignored.
 */
export interface ReplyVerbs {
  DISCOVER: Handler<DiscoverReply>;
  PREFERRED: Handler<PreferredReply>;
  JOINCHANNEL: Handler<JoinChannelReply>;
}

export interface VerbTable {
  user: { [V in UCommand['verb']]: UserVerb<V> };
  server: { [V in SCommand['verb']]: ServerVerb<V> };
  replies: ReplyVerbs;
}

/** Every verb: plain handler references, the policy as data beside them. */
export const VERBS: VerbTable = {
  user: {
    PREFERRED: { from: 'user', repeat: 'register', handle: userPreferred },
    FIND: { from: 'registered', repeat: 'query', handle: find, relayed: relayedFind },
    LIST: { from: 'registered', repeat: 'query', handle: list },
    ULIST: { from: 'registered', repeat: 'query', handle: listMembers },
    LISTROOMS: { from: 'registered', repeat: 'query', handle: listRooms },
    SEND: { from: 'registered', repeat: 'delivery', handle: send, relayed: relayedSend },
    CSEND: { from: 'registered', repeat: 'delivery', handle: roomSend },
    CREATEROOM: { from: 'registered', repeat: 'change', handle: createRoom },
    JOINROOM: { from: 'registered', repeat: 'change', handle: joinRoom },
    LEAVEROOM: { from: 'registered', repeat: 'change', handle: leaveRoom },
    EXIT: { from: 'registered', repeat: 'change', handle: exit },
    ALIAS: { from: 'registered', repeat: 'change', handle: addAlias },
    REMOVE: { from: 'registered', repeat: 'change', handle: removeAlias },
    SETALIAS: { from: 'registered', repeat: 'change', handle: setAlias },
  },
  server: {
    DISCOVER: { from: 'server', handle: discover },
    KNOWNUSERS: { from: 'server', handle: knownUsers },
    KNOWNSERVERS: { from: 'server', handle: knownServers },
    PREFERRED: { from: 'server', handle: serverPreferred },
    JOINCHANNEL: { from: 'server', handle: joinChannel },
  },
  replies: {
    DISCOVER: discoverReply,
    PREFERRED: preferredReply,
    JOINCHANNEL: joinChannelReply,
  },
};

/** The reply's echoed command, if it is a server command this table routes replies for. */
export function routedReply(reply: ServerReply): keyof ReplyVerbs | undefined {
  if (reply.command.kind !== 'ServerCommand') return undefined;
  const verb = reply.command.command.verb;
  return verb === 'DISCOVER' || verb === 'PREFERRED' || verb === 'JOINCHANNEL' ? verb : undefined;
}
