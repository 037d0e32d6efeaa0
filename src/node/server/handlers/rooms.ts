/**
 * The room commands of our own users. A room is one room across the network (room-relay.ts): a
 * room created on any server can be joined from any server, LISTROOMS and ULIST answer for the
 * whole network as far as this server knows it, and what our users do in a room is told to our
 * other members and passed on to the network.
 */
import { reply } from '../../wire.ts';
import { messageFits, nameFits, refuse } from './refuse.ts';
import type { HandlerContext, RegisteredInbound, UserHandler, UserPacket } from './types.ts';

/** CREATEROOM: creates the room and joins it; -ERR if it exists anywhere we know of. */
export const createRoom: UserHandler<'CREATEROOM'> = (ctx, packet, inbound) => {
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
  enter(ctx, packet, inbound, false);
};

/** JOINROOM: joins a room that exists on any server, and makes it the current one. */
export const joinRoom: UserHandler<'JOINROOM'> = (ctx, packet, inbound) => {
  const room = packet.command.room;
  if (!ctx.rooms.has(room)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`no room ${room}`] });
    return;
  }
  const wasMember = ctx.rooms.isMember(room, inbound.registration.user.alias);
  if (!wasMember && ctx.rooms.memberCount(room) >= ctx.options.limits.membersPerRoom) {
    refuse(
      ctx,
      inbound,
      packet,
      `room ${room} is full: at most ${ctx.options.limits.membersPerRoom} members`,
    );
    return;
  }
  enter(ctx, packet, inbound, wasMember);
};

/** Our user is in the room, here: answered, told to the room's other members and the network. */
function enter(
  ctx: HandlerContext,
  packet: UserPacket<'CREATEROOM' | 'JOINROOM'>,
  inbound: RegisteredInbound,
  wasMember: boolean,
): void {
  const { registration } = inbound;
  const room = packet.command.room;
  const here = ctx.rooms.local(room).has(registration);
  ctx.rooms.join(room, registration);
  ctx.registry.enterRoom(registration, room);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  // Joining a room one is in already here only makes it current: nothing to tell.
  if (!here) ctx.roomRelay.joined(registration, room, packet.command.verb, wasMember);
}

/** LEAVEROOM: leaves a room; the room ends with its last member on any server. */
export const leaveRoom: UserHandler<'LEAVEROOM'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  const room = packet.command.room;
  if (!ctx.rooms.leave(room, registration)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`not in room ${room}`] });
    return;
  }
  ctx.registry.leftRoom(registration, room);
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.roomRelay.left(registration, room);
};

/** ULIST: the room's members on every server, ours first, as UserNodes. */
export const listMembers: UserHandler<'ULIST'> = (ctx, packet, inbound) => {
  const room = packet.command.room;
  if (!ctx.rooms.has(room)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`no room ${room}`] });
    return;
  }
  ctx.outbox.reply(packet, '+OK', { cause: inbound, users: ctx.rooms.members(room) });
};

/** LISTROOMS: one Message per room of the network. */
export const listRooms: UserHandler<'LISTROOMS'> = (ctx, packet, inbound) => {
  ctx.outbox.reply(packet, '+OK', { cause: inbound, messages: ctx.rooms.names() });
};

/**
 * CSEND: every other member of the sender's current room, on this server and every other, gets
 * the CSEND echoed in a +OK reply whose one Message is the room name; the sender gets +OK.
 */
export const roomSend: UserHandler<'CSEND'> = (ctx, packet, inbound) => {
  const { registration } = inbound;
  if (!messageFits(ctx, inbound, packet)) return;
  const room = registration.currentRoom;
  if (room === undefined || !ctx.rooms.local(room).has(registration)) {
    ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: ['join or create a room first'] });
    return;
  }
  const delivery = reply(ctx.self, '+OK', packet, { messages: [room] });
  const others = [...ctx.rooms.local(room)].filter((m) => m !== registration).map((m) => m.user);
  ctx.outbox.sendAll(delivery, others, { cause: inbound });
  ctx.outbox.reply(packet, '+OK', { cause: inbound });
  ctx.roomRelay.said(registration, room, packet.command.message);
};
