/**
 * Section IV of the protocol as a Chevrotain parser: one rule per production, named exactly as
 * there, each returning its typed AST node through embedded actions (no CST pass).
 */
import { EmbeddedActionsParser, type IParserConfig, type IToken } from 'chevrotain';
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
import { expectationMessages } from './expectations.ts';
import * as T from './tokens.ts';
import { checkByte, checkPort, messageContent } from './values.ts';

export class ProtocolParser extends EmbeddedActionsParser {
  constructor(config: IParserConfig = {}) {
    super(T.allTokens, {
      recoveryEnabled: false,
      errorMessageProvider: expectationMessages,
      ...config,
    });
    this.performSelfAnalysis();
  }

  // Command => [Server] [SCommand] | [UserNode] [UCommand]
  Command = this.RULE(
    'Command',
    (): Command =>
      this.OR([
        {
          ALT: (): ServerCommand => {
            const sender = this.SUBRULE(this.Server);
            const command = this.SUBRULE(this.SCommand);
            return { kind: 'ServerCommand', sender, command };
          },
        },
        {
          ALT: (): UserCommand => {
            const sender = this.SUBRULE(this.UserNode);
            const command = this.SUBRULE(this.UCommand);
            return { kind: 'UserCommand', sender, command };
          },
        },
      ]),
  );

  // Server => SERVER [Alias] [IPAddress] [Port]
  Server = this.RULE('Server', (): Server => {
    this.CONSUME(T.SERVER);
    const alias = this.SUBRULE(this.Alias);
    const ip = this.SUBRULE(this.IPAddress);
    const port = this.SUBRULE(this.Port);
    return { kind: 'Server', alias, ip, port };
  });

  // SCommand => DISCOVER [Alias] | KNOWNUSERS [UserNode]* | KNOWNSERVERS [Server]*
  //           | PREFERRED [Server] | JOINCHANNEL [IPAddress] [Port]
  SCommand = this.RULE(
    'SCommand',
    (): SCommand =>
      this.OR([
        {
          ALT: (): SCommand => {
            this.CONSUME(T.DISCOVER);
            return { verb: 'DISCOVER', alias: this.SUBRULE(this.Alias) };
          },
        },
        {
          ALT: (): SCommand => {
            this.CONSUME(T.KNOWNUSERS);
            const users: UserNode[] = [];
            // Greedy: every UserNode that follows, also when echoed inside a ServerReply.
            this.MANY(() => {
              const user = this.SUBRULE1(this.UserNode);
              this.ACTION(() => users.push(user));
            });
            return { verb: 'KNOWNUSERS', users };
          },
        },
        {
          ALT: (): SCommand => {
            this.CONSUME(T.KNOWNSERVERS);
            const servers: Server[] = [];
            this.MANY1(() => {
              const server = this.SUBRULE1(this.Server);
              this.ACTION(() => servers.push(server));
            });
            return { verb: 'KNOWNSERVERS', servers };
          },
        },
        {
          ALT: (): SCommand => {
            this.CONSUME(T.PREFERRED);
            return { verb: 'PREFERRED', server: this.SUBRULE2(this.Server) };
          },
        },
        {
          ALT: (): SCommand => {
            this.CONSUME(T.JOINCHANNEL);
            const ip = this.SUBRULE(this.IPAddress);
            const port = this.SUBRULE(this.Port);
            return { verb: 'JOINCHANNEL', ip, port };
          },
        },
      ]),
  );

  // UserNode => USERNODE [Alias] [IPAddress] [Port]
  UserNode = this.RULE('UserNode', (): UserNode => {
    this.CONSUME(T.USERNODE);
    const alias = this.SUBRULE(this.Alias);
    const ip = this.SUBRULE(this.IPAddress);
    const port = this.SUBRULE(this.Port);
    return { kind: 'UserNode', alias, ip, port };
  });

  // UCommand => FIND [Alias] | PREFERRED [Server] | CREATEROOM [RoomName] | JOINROOM [RoomName]
  //           | LEAVEROOM [RoomName] | ULIST [RoomName] | LISTROOMS | CSEND [Message] | EXIT
  //           | ALIAS [UserNode] | REMOVE [Alias] | SEND [Alias] [Message] | LIST
  //           | SETALIAS [UserNode]
  UCommand = this.RULE(
    'UCommand',
    (): UCommand =>
      this.OR([
        {
          ALT: (): UCommand => {
            this.CONSUME(T.FIND);
            return { verb: 'FIND', alias: this.SUBRULE(this.Alias) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.PREFERRED);
            return { verb: 'PREFERRED', server: this.SUBRULE(this.Server) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.CREATEROOM);
            return { verb: 'CREATEROOM', room: this.SUBRULE(this.RoomName) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.JOINROOM);
            return { verb: 'JOINROOM', room: this.SUBRULE1(this.RoomName) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.LEAVEROOM);
            return { verb: 'LEAVEROOM', room: this.SUBRULE2(this.RoomName) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.ULIST);
            return { verb: 'ULIST', room: this.SUBRULE3(this.RoomName) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.LISTROOMS);
            return { verb: 'LISTROOMS' };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.CSEND);
            return { verb: 'CSEND', message: this.SUBRULE(this.Message) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.EXIT);
            return { verb: 'EXIT' };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.ALIAS);
            return { verb: 'ALIAS', user: this.SUBRULE(this.UserNode) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.REMOVE);
            return { verb: 'REMOVE', alias: this.SUBRULE1(this.Alias) };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.SEND);
            const alias = this.SUBRULE2(this.Alias);
            const message = this.SUBRULE1(this.Message);
            return { verb: 'SEND', alias, message };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.LIST);
            return { verb: 'LIST' };
          },
        },
        {
          ALT: (): UCommand => {
            this.CONSUME(T.SETALIAS);
            return { verb: 'SETALIAS', user: this.SUBRULE1(this.UserNode) };
          },
        },
      ]),
  );

  // ServerReply => SERVERREPLY [Server] [Status] [Command] [Server]* [UserNode]* [Message]*
  ServerReply = this.RULE('ServerReply', (): ServerReply => {
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
    return { kind: 'ServerReply', sender, status, command, servers, users, messages };
  });

  // Status => +OK | -ERR
  Status = this.RULE(
    'Status',
    (): Status =>
      this.OR([
        {
          ALT: (): Status => {
            this.CONSUME(T.Ok);
            return '+OK';
          },
        },
        {
          ALT: (): Status => {
            this.CONSUME(T.Err);
            return '-ERR';
          },
        },
      ]),
  );

  // Alias => [A-Za-z0-9]+   (any Word, keywords and numbers included)
  Alias = this.RULE('Alias', (): string => this.CONSUME(T.Word).image);

  // IPAddress => [Byte].[Byte].[Byte].[Byte]
  IPAddress = this.RULE('IPAddress', (): string => {
    const a = this.SUBRULE(this.Byte);
    this.CONSUME(T.Dot);
    const b = this.SUBRULE1(this.Byte);
    this.CONSUME1(T.Dot);
    const c = this.SUBRULE2(this.Byte);
    this.CONSUME2(T.Dot);
    const d = this.SUBRULE3(this.Byte);
    // Normalized: `010.001.0.099` is held as `10.1.0.99`.
    return this.ACTION(() => `${a}.${b}.${c}.${d}`);
  });

  // Byte => [0-2]?[0-9]?[0-9]   (and at most 255)
  Byte = this.RULE('Byte', (): number => {
    const token: IToken = this.CONSUME(T.Digits);
    return this.ACTION(() => checkByte(token));
  });

  // Port => [0-6]?[0-9][0-9][0-9][0-9]   (and at most 65535)
  Port = this.RULE('Port', (): number => {
    const token: IToken = this.CONSUME(T.Digits);
    return this.ACTION(() => checkPort(token));
  });

  // RoomName => [A-Za-z0-9]+
  RoomName = this.RULE('RoomName', (): string => this.CONSUME(T.Word).image);

  // Message => MESSAGE [^\0]*[\0]
  Message = this.RULE('Message', (): string => {
    const token: IToken = this.CONSUME(T.Message);
    return this.ACTION(() => messageContent(token));
  });
}
