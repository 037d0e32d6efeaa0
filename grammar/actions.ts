/**
 * The semantic actions: how each rule, or each alternative of a rule, builds its AST node. Both
 * parsers call these, so the AST has one definition: parser.ts's embedded actions and the
 * generated fast parser (scripts/generate-parser.ts finds each action by its key).
 *
 * Keys: a rule's name, or for a rule that is one choice, `Rule.First`, First being the name of
 * the token or rule its alternative starts with. Arguments: the values of the alternative's
 * parts in order, where a subrule gives its result, a repetition the array of its results, and a
 * Word, Digits or Message token the text with the token's start and end in it (so a Byte or a
 * Port is read without copying it out); keywords and punctuation give nothing. An action with
 * three parameters more than that gets the text and the start and end of the rule's own text.
 */
import type {
  Command,
  SCommand,
  Server,
  ServerCommand,
  ServerReply,
  Status,
  UCommand,
  UserCommand,
  UserNode,
} from '../src/ast.ts';
import { checkByte, checkPort, messageContent } from './values.ts';

const digitCount = (byte: number): number => (byte < 10 ? 1 : byte < 100 ? 2 : 3);

/**
 * Normalized: `010.001.0.099` is held as `10.1.0.99`. An address written without leading zeros
 * (as good as every one) is its own text, from `start` to `end`: taken as it is, where writing
 * out four numbers was a fifth of the time of a large reply. No whitespace can be inside an
 * address, so it is written normalized exactly when its text is as long as the normalized one.
 */
function dottedQuad(
  a: number,
  b: number,
  c: number,
  d: number,
  text: string,
  start: number,
  end: number,
): string {
  if (end - start === digitCount(a) + digitCount(b) + digitCount(c) + digitCount(d) + 3) {
    return text.slice(start, end);
  }
  return `${a}.${b}.${c}.${d}`;
}

export const actions = {
  'Command.Server': (sender: Server, command: SCommand): ServerCommand => ({
    kind: 'ServerCommand',
    sender,
    command,
  }),
  'Command.UserNode': (sender: UserNode, command: UCommand): UserCommand => ({
    kind: 'UserCommand',
    sender,
    command,
  }),
  Server: (alias: string, ip: string, port: number): Server => ({ kind: 'Server', alias, ip, port }),
  'SCommand.DISCOVER': (alias: string): SCommand => ({ verb: 'DISCOVER', alias }),
  'SCommand.KNOWNUSERS': (users: UserNode[]): SCommand => ({ verb: 'KNOWNUSERS', users }),
  'SCommand.KNOWNSERVERS': (servers: Server[]): SCommand => ({ verb: 'KNOWNSERVERS', servers }),
  'SCommand.PREFERRED': (server: Server): SCommand => ({ verb: 'PREFERRED', server }),
  'SCommand.JOINCHANNEL': (ip: string, port: number): SCommand => ({ verb: 'JOINCHANNEL', ip, port }),
  UserNode: (alias: string, ip: string, port: number): UserNode => ({ kind: 'UserNode', alias, ip, port }),
  'UCommand.FIND': (alias: string): UCommand => ({ verb: 'FIND', alias }),
  'UCommand.PREFERRED': (server: Server): UCommand => ({ verb: 'PREFERRED', server }),
  'UCommand.CREATEROOM': (room: string): UCommand => ({ verb: 'CREATEROOM', room }),
  'UCommand.JOINROOM': (room: string): UCommand => ({ verb: 'JOINROOM', room }),
  'UCommand.LEAVEROOM': (room: string): UCommand => ({ verb: 'LEAVEROOM', room }),
  'UCommand.ULIST': (room: string): UCommand => ({ verb: 'ULIST', room }),
  'UCommand.LISTROOMS': (): UCommand => ({ verb: 'LISTROOMS' }),
  'UCommand.CSEND': (message: string): UCommand => ({ verb: 'CSEND', message }),
  'UCommand.EXIT': (): UCommand => ({ verb: 'EXIT' }),
  'UCommand.ALIAS': (user: UserNode): UCommand => ({ verb: 'ALIAS', user }),
  'UCommand.REMOVE': (alias: string): UCommand => ({ verb: 'REMOVE', alias }),
  'UCommand.SEND': (alias: string, message: string): UCommand => ({ verb: 'SEND', alias, message }),
  'UCommand.LIST': (): UCommand => ({ verb: 'LIST' }),
  'UCommand.SETALIAS': (user: UserNode): UCommand => ({ verb: 'SETALIAS', user }),
  ServerReply: (
    sender: Server,
    status: Status,
    command: Command,
    servers: Server[],
    users: UserNode[],
    messages: string[],
  ): ServerReply => ({ kind: 'ServerReply', sender, status, command, servers, users, messages }),
  'Status.Ok': (): Status => '+OK',
  'Status.Err': (): Status => '-ERR',
  Alias: (text: string, start: number, end: number): string => text.slice(start, end),
  IPAddress: dottedQuad,
  Byte: checkByte,
  Port: checkPort,
  RoomName: (text: string, start: number, end: number): string => text.slice(start, end),
  Message: messageContent,
};

export type ActionKey = keyof typeof actions;
