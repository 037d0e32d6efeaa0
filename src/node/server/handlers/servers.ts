/**
 * DISCOVER, JOINCHANNEL and the replies to the server's own commands: each handed to the
 * mechanism that owns it, reached through the context.
 */

import type { JoinChannelReply } from '../channels.ts';
import type { DiscoverReply } from '../discovery.ts';
import type { PreferredReply } from '../recovery.ts';
import type { Handler, ServerHandler } from './types.ts';

/** DISCOVER: a claim on an alias, a greeting or a liveness probe (discovery.ts). */
export const discover: ServerHandler<'DISCOVER'> = (ctx, packet, inbound) => {
  ctx.discovery.onDiscover(packet, inbound);
};

/** JOINCHANNEL: a neighbour invites us onto a channel (channels.ts). */
export const joinChannel: ServerHandler<'JOINCHANNEL'> = (ctx, packet, inbound) => {
  ctx.channels.onInvite(packet, inbound);
};

/** The answer to a DISCOVER of ours: a liveness probe's, or one about our claim. */
export const discoverReply: Handler<DiscoverReply> = (ctx, reply) => {
  ctx.liveness.onReply(reply);
  ctx.discovery.onReply(reply);
};

/** An old neighbour's answer to the PREFERRED of a recovering server (recovery.ts). */
export const preferredReply: Handler<PreferredReply> = (ctx, reply, inbound) => {
  ctx.recovery.onReply(reply, inbound);
};

/** The answer to our JOINCHANNEL invitation (channels.ts). */
export const joinChannelReply: Handler<JoinChannelReply> = (ctx, reply) => {
  ctx.channels.onReply(reply);
};
