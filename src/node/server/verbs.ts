/**
 * Every verb the server acts on, commands and replies alike, with its policy beside its handler
 * (anchor: aedes `lib/handlers/index.js`, one `handle` for every packet type). The dispatch
 * (dispatch.ts) applies the policy; a handler runs only for a datagram that passed it.
 */
import type { SCommand, ServerReply, UCommand } from '../../ast.ts';
import type { Channels, JoinChannelReply } from './channels.ts';
import type { ServerContext } from './context.ts';
import type { DiscoverReply, Discovery } from './discovery.ts';
import type { Gossip } from './gossip.ts';
import { addAlias, removeAlias, setAlias } from './handlers/aliases.ts';
import { find } from './handlers/find.ts';
import { knownServers, knownUsers } from './handlers/gossip.ts';
import { relayedSend, send } from './handlers/messaging.ts';
import { serverPreferred, userPreferred } from './handlers/preferred.ts';
import { createRoom, joinRoom, leaveRoom, listMembers, listRooms, roomSend } from './handlers/rooms.ts';
import { exit, list } from './handlers/session.ts';
import type { ServerPacket, UserHandler, UserPacket } from './handlers/types.ts';
import type { Inbound } from './inbound.ts';
import type { Liveness } from './liveness.ts';
import type { PreferredReply, Recovery } from './recovery.ts';
import type { Registration } from './registry.ts';

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
  relayed?: (ctx: ServerContext, packet: UserPacket<V>, inbound: Inbound) => void;
}

/**
 * A user command's policy and handler. `from` says who may send it: `user`, any user node from
 * the address it names (PREFERRED, which is how a user registers); `registered`, a user node
 * registered here under an alias it holds (Section I.i), the handler getting its registration.
 */
export type UserVerb<V extends UCommand['verb']> = UserVerbPolicy<V> &
  (
    | { from: 'user'; handle: (ctx: ServerContext, packet: UserPacket<V>, inbound: Inbound) => void }
    | { from: 'registered'; handle: UserHandler<V> }
  );

/** A server command: from a server, at the unicast address it names. */
export interface ServerVerb<V extends SCommand['verb']> {
  from: 'server';
  handle: (ctx: ServerContext, packet: ServerPacket<V>, inbound: Inbound) => void;
}

/**
 * A reply to a command this server sent, from the server it was sent to (at the address it
 * names), handed to the mechanism waiting for it. Replies to anything else are ignored.
 */
export interface ReplyVerbs {
  DISCOVER: (reply: DiscoverReply, inbound: Inbound) => void;
  PREFERRED: (reply: PreferredReply, inbound: Inbound) => void;
  JOINCHANNEL: (reply: JoinChannelReply, inbound: Inbound) => void;
}

export interface VerbTable {
  user: { [V in UCommand['verb']]: UserVerb<V> };
  server: { [V in SCommand['verb']]: ServerVerb<V> };
  replies: ReplyVerbs;
  /**
   * A registered user whose first +OK could not list every neighbour (registry.ts `owed`) was
   * heard from again: send it the rest.
   */
  owed: (registration: Registration) => void;
}

/** The mechanisms handlers hand their work to. */
export interface Mechanisms {
  discovery: Discovery;
  liveness: Liveness;
  gossip: Gossip;
  recovery: Recovery;
  channels: Channels;
}

export function verbTable({ discovery, liveness, gossip, recovery, channels }: Mechanisms): VerbTable {
  return {
    user: {
      PREFERRED: { from: 'user', repeat: 'register', handle: (c, p, i) => userPreferred(c, p, i, gossip) },
      FIND: {
        from: 'registered',
        repeat: 'query',
        handle: (c, p, i) => find(c, p, i, false),
        relayed: (c, p, i) => find(c, p, i, true),
      },
      LIST: { from: 'registered', repeat: 'query', handle: list },
      ULIST: { from: 'registered', repeat: 'query', handle: listMembers },
      LISTROOMS: { from: 'registered', repeat: 'query', handle: listRooms },
      SEND: { from: 'registered', repeat: 'delivery', handle: send, relayed: relayedSend },
      CSEND: { from: 'registered', repeat: 'delivery', handle: roomSend },
      CREATEROOM: { from: 'registered', repeat: 'change', handle: createRoom },
      JOINROOM: { from: 'registered', repeat: 'change', handle: joinRoom },
      LEAVEROOM: { from: 'registered', repeat: 'change', handle: leaveRoom },
      EXIT: { from: 'registered', repeat: 'change', handle: (c, p, i, r) => exit(c, p, i, r, gossip) },
      ALIAS: { from: 'registered', repeat: 'change', handle: (c, p, i, r) => addAlias(c, p, i, r, gossip) },
      REMOVE: {
        from: 'registered',
        repeat: 'change',
        handle: (c, p, i, r) => removeAlias(c, p, i, r, gossip),
      },
      SETALIAS: {
        from: 'registered',
        repeat: 'change',
        handle: (c, p, i, r) => setAlias(c, p, i, r, gossip),
      },
    },
    server: {
      DISCOVER: { from: 'server', handle: (_c, p, i) => discovery.onDiscover(p, i) },
      KNOWNUSERS: { from: 'server', handle: (c, p, i) => knownUsers(c, p, i, discovery, liveness, gossip) },
      KNOWNSERVERS: { from: 'server', handle: (c, p, i) => knownServers(c, p, i, discovery, gossip) },
      PREFERRED: { from: 'server', handle: serverPreferred },
      JOINCHANNEL: { from: 'server', handle: (_c, p, i) => channels.onInvite(p, i) },
    },
    replies: {
      DISCOVER: (reply) => {
        liveness.onReply(reply);
        discovery.onReply(reply);
      },
      PREFERRED: (reply, inbound) => recovery.onReply(reply, inbound),
      JOINCHANNEL: (reply) => channels.onReply(reply),
    },
    owed: (registration) => {
      registration.owed = false;
      gossip.tellUser(registration.user);
    },
  };
}

/** The reply's echoed command, if it is a server command this table routes replies for. */
export function routedReply(reply: ServerReply): keyof ReplyVerbs | undefined {
  if (reply.command.kind !== 'ServerCommand') return undefined;
  const verb = reply.command.command.verb;
  return verb === 'DISCOVER' || verb === 'PREFERRED' || verb === 'JOINCHANNEL' ? verb : undefined;
}
