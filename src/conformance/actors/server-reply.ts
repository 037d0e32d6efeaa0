/** The ServerReply a kit actor playing a server answers with, built in one place for all of them. */
import type { Command, Server, ServerReply, Status } from '../../index.ts';

/** The lists a reply may carry; each is empty unless given. */
export type ReplyLists = Partial<Pick<ServerReply, 'servers' | 'users' | 'messages'>>;

/** `SERVERREPLY` from `sender` with `status`, echoing `command`, with the lists given. */
export function serverReply(
  sender: Server,
  status: Status,
  command: Command,
  lists: ReplyLists = {},
): ServerReply {
  return { kind: 'ServerReply', sender, status, command, servers: [], users: [], messages: [], ...lists };
}
