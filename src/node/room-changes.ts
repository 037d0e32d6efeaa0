/**
 * What a room notice says changed for a member (docs/protocol.md, "Room notices"): the second
 * Message of the `+OK` echo a server sends its users. Written by the server (room-relay.ts), read
 * by the user node (deliveries.ts).
 */

/** What changed for a member of a room we are in, as our server tells it (`roomNotice`). */
export type RoomChange = 'joined' | 'left' | 'quit' | 'split' | 'back';

const ROOM_CHANGES: readonly string[] = ['joined', 'left', 'quit', 'split', 'back'] satisfies RoomChange[];

/** Whether `word` is a RoomChange. */
export function isRoomChange(word: string | undefined): word is RoomChange {
  return word !== undefined && ROOM_CHANGES.includes(word);
}
