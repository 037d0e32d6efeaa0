import type { UserNode } from '../../../ast.ts';
import { reply } from '../../wire.ts';
import { messageFits, nameFits, refuse } from './refuse.ts';
import type { UserHandler } from './types.ts';

/** CREATEROOM: creates the room and joins it; -ERR if it exists. */
export const createRoom: UserHandler<'CREATEROOM'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  const room = packet.command.room;
  if (!nameFits(ctx, inbound, packet, room)) return;
  if (ctx.rooms.has(room)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`room ${room} exists`] });
    return;
  }
  if (ctx.rooms.size >= ctx.options.limits.rooms) {
    refuse(ctx, inbound, packet, `this server holds at most ${ctx.options.limits.rooms} rooms`);
    return;
  }
  ctx.rooms.create(room, registration);
  ctx.registry.enterRoom(registration, room);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
};

/** JOINROOM: joins an existing room and makes it the current one. */
export const joinRoom: UserHandler<'JOINROOM'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  const room = packet.command.room;
  const members = ctx.rooms.members(room);
  if (!members) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`no room ${room}`] });
    return;
  }
  if (!members.has(registration) && members.size >= ctx.options.limits.membersPerRoom) {
    refuse(
      ctx,
      inbound,
      packet,
      `room ${room} is full: at most ${ctx.options.limits.membersPerRoom} members`,
    );
    return;
  }
  ctx.rooms.join(room, registration);
  ctx.registry.enterRoom(registration, room);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
};

/** LEAVEROOM: leaves a room; the room ends with its last member. */
export const leaveRoom: UserHandler<'LEAVEROOM'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  const room = packet.command.room;
  if (!ctx.rooms.leave(room, registration)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`not in room ${room}`] });
    return;
  }
  ctx.registry.leftRoom(registration, room);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
};

/** ULIST: the room's members as UserNodes. */
export const listMembers: UserHandler<'ULIST'> = (ctx, packet, inbound) => {
  const members = ctx.rooms.members(packet.command.room);
  if (!members) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`no room ${packet.command.room}`] });
    return;
  }
  ctx.outbox.reply(packet, '+OK', { cause: inbound, users: [...members].map((m) => m.user) });
};

/** LISTROOMS: one Message per room name. */
export const listRooms: UserHandler<'LISTROOMS'> = (ctx, packet, inbound) => {
  ctx.outbox.reply(packet, '+OK', { cause: inbound, messages: ctx.rooms.names() });
};

/**
 * CSEND: every other member of the sender's current room gets the CSEND echoed in a +OK reply
 * whose one Message is the room name; the sender gets +OK.
 */
export const roomSend: UserHandler<'CSEND'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  if (!messageFits(ctx, inbound, packet)) return;
  const room = registration.currentRoom;
  const members = room === undefined ? undefined : ctx.rooms.members(room);
  if (room === undefined || !members) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: ['join or create a room first'] });
    return;
  }
  const delivery = reply(ctx.self, '+OK', packet, { messages: [room] });
  const others: UserNode[] = [];
  for (const member of members) if (member !== registration) others.push(member.user);
  ctx.outbox.sendAll(delivery, others, { cause: inbound });
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
};
