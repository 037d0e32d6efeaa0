/**
 * One handler per command, behind the single dispatch in dispatch.ts. User commands other than
 * PREFERRED are handled only for a registered sender (Section I.i).
 */
import type { SCommand, UCommand } from '../../../ast.ts';
import { handleFind } from '../find.ts';
import { addAlias, removeAlias, setAlias } from './aliases.ts';
import { joinChannel } from './channel.ts';
import { knownServers, knownUsers } from './gossip.ts';
import { send } from './messaging.ts';
import { serverPreferred } from './preferred.ts';
import { createRoom, joinRoom, leaveRoom, listMembers, listRooms, roomSend } from './rooms.ts';
import { exit, list } from './session.ts';
import type { ServerHandler, UserHandler } from './types.ts';

export const userHandlers: { [V in Exclude<UCommand['verb'], 'PREFERRED'>]: UserHandler<V> } = {
  FIND: (ctx, packet) => handleFind(ctx, packet),
  CREATEROOM: createRoom,
  JOINROOM: joinRoom,
  LEAVEROOM: leaveRoom,
  ULIST: listMembers,
  LISTROOMS: listRooms,
  CSEND: roomSend,
  EXIT: exit,
  ALIAS: addAlias,
  REMOVE: removeAlias,
  SEND: send,
  LIST: list,
  SETALIAS: setAlias,
};

/** DISCOVER is handled by the discovery mechanism itself. */
export const serverHandlers: { [V in Exclude<SCommand['verb'], 'DISCOVER'>]: ServerHandler<V> } = {
  KNOWNUSERS: knownUsers,
  KNOWNSERVERS: knownServers,
  PREFERRED: serverPreferred,
  JOINCHANNEL: joinChannel,
};
