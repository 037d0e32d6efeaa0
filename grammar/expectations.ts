/**
 * Parser error texts: each says what the grammar allowed at the failing token, in the words of
 * Section IV. api.ts adds what was found there and the position.
 */
import type { IParserErrorMessageProvider, TokenType } from 'chevrotain';
import { BYTE_EXPECTED, MESSAGE_EXPECTED, PORT_EXPECTED } from './values.ts';

const NAME_EXPECTED = '([A-Za-z0-9]+)';

/** What a token means in the rule that wanted it (a Word is an Alias in one rule, a RoomName in another). */
function describe(expected: TokenType, ruleName: string): string {
  switch (ruleName) {
    case 'Alias':
      return `an Alias ${NAME_EXPECTED}`;
    case 'RoomName':
      return `a RoomName ${NAME_EXPECTED}`;
    case 'Byte':
      return BYTE_EXPECTED;
    case 'Port':
      return PORT_EXPECTED;
    case 'Message':
      return MESSAGE_EXPECTED;
    case 'IPAddress':
      return '"." between the Bytes of an IPAddress';
    default:
      return expected.LABEL ?? expected.name;
  }
}

const ALTERNATIVES: Record<string, string> = {
  Command: 'a Command (SERVER or USERNODE)',
  SCommand: 'a server command (DISCOVER, KNOWNUSERS, KNOWNSERVERS, PREFERRED or JOINCHANNEL)',
  UCommand:
    'a user command (FIND, PREFERRED, CREATEROOM, JOINROOM, LEAVEROOM, ULIST, LISTROOMS, CSEND, EXIT, ALIAS, REMOVE, SEND, LIST or SETALIAS)',
  Status: 'a Status (+OK or -ERR)',
};

export const expectationMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => describe(expected, ruleName),
  buildNotAllInputParsedMessage: () => 'the end of the packet',
  buildNoViableAltMessage: ({ ruleName }) => ALTERNATIVES[ruleName] ?? ruleName,
  buildEarlyExitMessage: ({ ruleName }) => ruleName,
};
