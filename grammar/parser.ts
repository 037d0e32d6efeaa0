/**
 * Section IV of the protocol as a Chevrotain parser: one rule per production, named exactly as
 * there, each returning its typed AST node through embedded actions (no CST pass) that call the
 * shared actions of actions.ts. This is the one definition of the language: the fast parser in
 * generated/ is compiled from it (scripts/generate-parser.ts).
 *
 * The class is defined on first use, as Chevrotain is loaded only then (chevrotain.ts).
 */
import type { IParserConfig, IToken } from 'chevrotain';
import type { Server, UserNode } from '../src/ast.ts';
import { actions as A } from './actions.ts';
import { chevrotain } from './chevrotain.ts';
import { expectationMessages } from './expectations.ts';
import { tokens } from './tokens.ts';

function defineProtocolParser() {
  const { EmbeddedActionsParser } = chevrotain();
  const T = tokens();

  return class ProtocolParser extends EmbeddedActionsParser {
    /** The text the tokens were read from: actions read a token's value from it. */
    sourceText = '';

    constructor(config: IParserConfig = {}) {
      super(T.all, { recoveryEnabled: false, errorMessageProvider: expectationMessages, ...config });
      this.performSelfAnalysis();
    }

    // Command => [Server] [SCommand] | [UserNode] [UCommand]
    Command = this.RULE('Command', () =>
      this.OR([
        { ALT: () => A['Command.Server'](this.SUBRULE(this.Server), this.SUBRULE(this.SCommand)) },
        { ALT: () => A['Command.UserNode'](this.SUBRULE(this.UserNode), this.SUBRULE(this.UCommand)) },
      ]),
    );

    // Server => SERVER [Alias] [IPAddress] [Port]
    Server = this.RULE('Server', () => {
      this.CONSUME(T.SERVER);
      const alias = this.SUBRULE(this.Alias);
      const ip = this.SUBRULE(this.IPAddress);
      const port = this.SUBRULE(this.Port);
      return A.Server(alias, ip, port);
    });

    // SCommand => DISCOVER [Alias] | KNOWNUSERS [UserNode]* | KNOWNSERVERS [Server]*
    //           | PREFERRED [Server] | JOINCHANNEL [IPAddress] [Port]
    SCommand = this.RULE('SCommand', () =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.DISCOVER);
            return A['SCommand.DISCOVER'](this.SUBRULE(this.Alias));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KNOWNUSERS);
            const users: UserNode[] = [];
            // Greedy: every UserNode that follows, also when echoed inside a ServerReply.
            this.MANY(() => {
              const user = this.SUBRULE1(this.UserNode);
              this.ACTION(() => users.push(user));
            });
            return A['SCommand.KNOWNUSERS'](users);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KNOWNSERVERS);
            const servers: Server[] = [];
            this.MANY1(() => {
              const server = this.SUBRULE1(this.Server);
              this.ACTION(() => servers.push(server));
            });
            return A['SCommand.KNOWNSERVERS'](servers);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.PREFERRED);
            return A['SCommand.PREFERRED'](this.SUBRULE2(this.Server));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.JOINCHANNEL);
            const ip = this.SUBRULE(this.IPAddress);
            const port = this.SUBRULE(this.Port);
            return A['SCommand.JOINCHANNEL'](ip, port);
          },
        },
      ]),
    );

    // UserNode => USERNODE [Alias] [IPAddress] [Port]
    UserNode = this.RULE('UserNode', () => {
      this.CONSUME(T.USERNODE);
      const alias = this.SUBRULE(this.Alias);
      const ip = this.SUBRULE(this.IPAddress);
      const port = this.SUBRULE(this.Port);
      return A.UserNode(alias, ip, port);
    });

    // UCommand => FIND [Alias] | PREFERRED [Server] | CREATEROOM [RoomName] | JOINROOM [RoomName]
    //           | LEAVEROOM [RoomName] | ULIST [RoomName] | LISTROOMS | CSEND [Message] | EXIT
    //           | ALIAS [UserNode] | REMOVE [Alias] | SEND [Alias] [Message] | LIST
    //           | SETALIAS [UserNode]
    UCommand = this.RULE('UCommand', () =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.FIND);
            return A['UCommand.FIND'](this.SUBRULE(this.Alias));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.PREFERRED);
            return A['UCommand.PREFERRED'](this.SUBRULE(this.Server));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.CREATEROOM);
            return A['UCommand.CREATEROOM'](this.SUBRULE(this.RoomName));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.JOINROOM);
            return A['UCommand.JOINROOM'](this.SUBRULE1(this.RoomName));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LEAVEROOM);
            return A['UCommand.LEAVEROOM'](this.SUBRULE2(this.RoomName));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.ULIST);
            return A['UCommand.ULIST'](this.SUBRULE3(this.RoomName));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LISTROOMS);
            return A['UCommand.LISTROOMS']();
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.CSEND);
            return A['UCommand.CSEND'](this.SUBRULE(this.Message));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.EXIT);
            return A['UCommand.EXIT']();
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.ALIAS);
            return A['UCommand.ALIAS'](this.SUBRULE(this.UserNode));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.REMOVE);
            return A['UCommand.REMOVE'](this.SUBRULE1(this.Alias));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.SEND);
            const alias = this.SUBRULE2(this.Alias);
            const message = this.SUBRULE1(this.Message);
            return A['UCommand.SEND'](alias, message);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LIST);
            return A['UCommand.LIST']();
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.SETALIAS);
            return A['UCommand.SETALIAS'](this.SUBRULE1(this.UserNode));
          },
        },
      ]),
    );

    // ServerReply => SERVERREPLY [Server] [Status] [Command] [Server]* [UserNode]* [Message]*
    ServerReply = this.RULE('ServerReply', () => {
      this.CONSUME(T.SERVERREPLY);
      const sender = this.SUBRULE(this.Server);
      const status = this.SUBRULE(this.Status);
      const command = this.SUBRULE(this.Command);
      const servers: Server[] = [];
      const users: UserNode[] = [];
      const messages: string[] = [];
      this.MANY(() => {
        const server = this.SUBRULE1(this.Server);
        this.ACTION(() => servers.push(server));
      });
      this.MANY1(() => {
        const user = this.SUBRULE(this.UserNode);
        this.ACTION(() => users.push(user));
      });
      this.MANY2(() => {
        const message = this.SUBRULE(this.Message);
        this.ACTION(() => messages.push(message));
      });
      return A.ServerReply(sender, status, command, servers, users, messages);
    });

    // Status => +OK | -ERR
    Status = this.RULE('Status', () =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Ok);
            return A['Status.Ok']();
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Err);
            return A['Status.Err']();
          },
        },
      ]),
    );

    // Alias => [A-Za-z0-9]+   (any Word, keywords and numbers included)
    Alias = this.RULE('Alias', () => {
      const token: IToken = this.CONSUME(T.Word);
      return A.Alias(this.sourceText, token.startOffset, token.startOffset + token.image.length);
    });

    // IPAddress => [Byte].[Byte].[Byte].[Byte]
    IPAddress = this.RULE('IPAddress', () => {
      let start = 0;
      this.ACTION(() => {
        start = this.LA(1).startOffset;
      });
      const a = this.SUBRULE(this.Byte);
      this.CONSUME(T.Dot);
      const b = this.SUBRULE1(this.Byte);
      this.CONSUME1(T.Dot);
      const c = this.SUBRULE2(this.Byte);
      this.CONSUME2(T.Dot);
      const d = this.SUBRULE3(this.Byte);
      return this.ACTION(() => {
        // LA(0) is the token taken last: the address's last Byte.
        const last = this.LA(0);
        return A.IPAddress(a, b, c, d, this.sourceText, start, last.startOffset + last.image.length);
      });
    });

    // Byte => [0-2]?[0-9]?[0-9]   (and at most 255)
    Byte = this.RULE('Byte', () => {
      const token: IToken = this.CONSUME(T.Digits);
      return this.ACTION(() =>
        A.Byte(this.sourceText, token.startOffset, token.startOffset + token.image.length),
      );
    });

    // Port => [0-6]?[0-9][0-9][0-9][0-9]   (and at most 65535)
    Port = this.RULE('Port', () => {
      const token: IToken = this.CONSUME(T.Digits);
      return this.ACTION(() =>
        A.Port(this.sourceText, token.startOffset, token.startOffset + token.image.length),
      );
    });

    // RoomName => [A-Za-z0-9]+
    RoomName = this.RULE('RoomName', () => {
      const token: IToken = this.CONSUME(T.Word);
      return A.RoomName(this.sourceText, token.startOffset, token.startOffset + token.image.length);
    });

    // Message => MESSAGE [^\0]*[\0]
    Message = this.RULE('Message', () => {
      const token: IToken = this.CONSUME(T.Message);
      return this.ACTION(() =>
        A.Message(this.sourceText, token.startOffset, token.startOffset + token.image.length),
      );
    });
  };
}

export type ProtocolParser = InstanceType<ReturnType<typeof defineProtocolParser>>;

let ProtocolParserClass: ReturnType<typeof defineProtocolParser> | undefined;

/** A new parser; the first call loads Chevrotain and defines the class. */
export function createProtocolParser(config: IParserConfig = {}): ProtocolParser {
  ProtocolParserClass ??= defineProtocolParser();
  return new ProtocolParserClass(config);
}
