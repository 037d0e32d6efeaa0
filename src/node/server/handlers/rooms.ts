import type { UserNode } from '../../../ast.ts';
import { reply } from '../../wire.ts';
import { messageFits, nameFits, refuse } from './refuse.ts';
import type { UserHandler } from './types.ts';

/** CREATEROOM: creates the room and joins it; -ERR if it exists. */
export const createRoom: UserHandler<'CREATEROOM'> = (ctx, packet, inbound, registration) => {
  const room = packet.command.room;
  if (!nameFits(ctx, inbound, packet, room)) return;
  if (ctx.rooms.has(room)) {
    inbound.reply(packet, '-ERR', { messages: [`room ${room} exists`] });
    return;
  }
  if (ctx.rooms.size >= ctx.limits.rooms) {
    refuse(ctx, inbound, packet, `this server holds at most ${ctx.limits.rooms} rooms`);
    return;
  }
  ctx.rooms.create(room, registration);
  registration.currentRoom = room;
  inbound.reply(packet, '+OK');
};

/** JOINROOM: joins an existing room and makes it the current one. */
export const joinRoom: UserHandler<'JOINROOM'> = (ctx, packet, inbound, registration) => {
  const room = packet.command.room;
  const members = ctx.rooms.members(room);
  if (!members) {
    inbound.reply(packet, '-ERR', { messages: [`no room ${room}`] });
    return;
  }
  if (!members.has(registration) && members.size >= ctx.limits.membersPerRoom) {
    refuse(ctx, inbound, packet, `room ${room} is full: at most ${ctx.limits.membersPerRoom} members`);
    return;
  }
  ctx.rooms.join(room, registration);
  registration.currentRoom = room;
  inbound.reply(packet, '+OK');
};

/** LEAVEROOM: leaves a room; the room ends with its last member. */
export const leaveRoom: UserHandler<'LEAVEROOM'> = (ctx, packet, inbound, registration) => {
  const room = packet.command.room;
  if (!ctx.rooms.leave(room, registration)) {
    inbound.reply(packet, '-ERR', { messages: [`not in room ${room}`] });
    return;
  }
  if (registration.currentRoom === room) registration.currentRoom = undefined;
  inbound.reply(packet, '+OK');
};

/** ULIST: the room's members as UserNodes. */
export const listMembers: UserHandler<'ULIST'> = (ctx, packet, inbound) => {
  const members = ctx.rooms.members(packet.command.room);
  if (!members) {
    inbound.reply(packet, '-ERR', { messages: [`no room ${packet.command.room}`] });
    return;
  }
  inbound.reply(packet, '+OK', { users: [...members].map((m) => m.user) });
};

/** LISTROOMS: one Message per room name. */
export const listRooms: UserHandler<'LISTROOMS'> = (ctx, packet, inbound) => {
  inbound.reply(packet, '+OK', { messages: ctx.rooms.names() });
};

/**
 * CSEND: every other member of the sender's current room gets the CSEND echoed in a +OK reply
 * whose one Message is the room name; the sender gets +OK.
 */
export const roomSend: UserHandler<'CSEND'> = (ctx, packet, inbound, registration) => {
  if (!messageFits(ctx, inbound, packet)) return;
  const room = registration.currentRoom;
  const members = room === undefined ? undefined : ctx.rooms.members(room);
  if (room === undefined || !members) {
    inbound.reply(packet, '-ERR', { messages: ['join or create a room first'] });
    return;
  }
  const delivery = reply(ctx.self, '+OK', packet, { messages: [room] });
  const others: UserNode[] = [];
  for (const member of members) if (member !== registration) others.push(member.user);
  inbound.sendAll(delivery, others);
  inbound.reply(packet, '+OK');
};
