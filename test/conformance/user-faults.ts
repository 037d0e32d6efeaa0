/**
 * One planted fault per user case: each makes a reference user node (run by faulty-user.ts)
 * break exactly what its case checks, and nothing else its section checks.
 */
import type { Packet, Server } from '../../src/index.ts';
import { type Fault, key } from './fault-transport.ts';

/** A user fault: a transport fault, or something the node process itself does wrong. */
export interface UserFault extends Fault {
  /** The process does not exit when its server failed and no backup took it. */
  stays?: boolean;
}

const isUser = (p: Packet | undefined, verb: string) => p?.kind === 'UserCommand' && p.command.verb === verb;

/**
 * A predicate for the node's keep-alives: a PREFERRED to the address its first PREFERRED (the
 * registration) went to, after that first one.
 */
function keepAlives() {
  let registeredAt: string | undefined;
  return (p: Packet | undefined, to: { ip: string; port: number }) => {
    if (!isUser(p, 'PREFERRED')) return false;
    if (registeredAt === undefined) {
      registeredAt = key(to);
      return false;
    }
    return key(to) === registeredAt;
  };
}

/** Where the node is registered: the source of the last +OK to its PREFERRED. */
function currentServer() {
  let current: { server: Server; at: { ip: string; port: number } } | undefined;
  return {
    get: () => current,
    note(p: Packet | undefined, from: { ip: string; port: number }) {
      if (
        p?.kind === 'ServerReply' &&
        p.status === '+OK' &&
        p.command.command.verb === 'PREFERRED' &&
        p.command.kind === 'UserCommand'
      )
        current = { server: p.sender, at: from };
    },
  };
}

/** Every planted user fault, made fresh for each process. */
export function userFaults(): UserFault[] {
  const here = currentServer();
  const [extraWord, twoSpaces, dropped] = [keepAlives(), keepAlives(), keepAlives()];
  let sentFirst = false;
  let listed: Server[] = [];
  return [
    {
      name: 'sends LISTROOMS before its PREFERRED',
      catches: 'I.i/user-preferred-first',
      outgoing: (p) => {
        if (sentFirst || p?.kind !== 'UserCommand') return undefined;
        sentFirst = true;
        return [{ ...p, command: { verb: 'LISTROOMS' } }, p];
      },
    },
    {
      name: 'names the wrong port in its PREFERRED',
      catches: 'I.i/user-preferred-names-server',
      outgoing: (p) =>
        p?.kind === 'UserCommand' && p.command.verb === 'PREFERRED'
          ? {
              ...p,
              command: { ...p.command, server: { ...p.command.server, port: p.command.server.port + 1 } },
            }
          : undefined,
    },
    {
      name: 'sends its PREFERRED from another socket than the one it names',
      catches: 'III/user-sender-is-source',
      outgoing: (p, to, tools) => {
        if (!isUser(p, 'PREFERRED') || !p) return undefined;
        tools.sendElsewhere(p, to);
        return 'drop';
      },
    },
    {
      name: 'sends its keep-alive with a word too many',
      catches: 'IV/user-datagrams-parse',
      outgoing: (p, to, _tools, text) => (extraWord(p, to) ? `${text} EXTRA` : undefined),
    },
    {
      name: 'writes two spaces after USERNODE in its keep-alive',
      catches: 'IV/user-canonical',
      outgoing: (p, to, _tools, text) =>
        twoSpaces(p, to) ? text.replace('USERNODE ', 'USERNODE  ') : undefined,
    },
    {
      name: 'counts keep-alives it never sends',
      catches: 'II.iii/user-keep-alive',
      outgoing: (p, to) => (dropped(p, to) ? 'drop' : undefined),
    },
    {
      name: 'names its backup, not its previous server, when it moves',
      catches: 'II.iii/user-failover',
      incoming: (p, from) => {
        here.note(p, from);
        return undefined;
      },
      outgoing: (p, to) => {
        const current = here.get();
        if (p?.kind !== 'UserCommand' || p.command.verb !== 'PREFERRED' || current === undefined)
          return undefined;
        if (key(to) === key(current.at)) return undefined;
        return { ...p, command: { verb: 'PREFERRED', server: { kind: 'Server', alias: 'backup', ...to } } };
      },
    },
    {
      name: 'skips the first of several neighbours',
      catches: 'II.iii/user-failover-in-order',
      incoming: (p) => {
        if (p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNSERVERS' && p.command.servers.length > 0)
          listed = p.command.servers;
        return undefined;
      },
      outgoing: (_p, to) => (listed.length > 1 && key(to) === key(listed[0] as Server) ? 'drop' : undefined),
    },
    {
      name: 'stays running when no backup takes it',
      catches: 'II.iii/user-exits-without-backup',
      stays: true,
    },
    {
      name: 'takes KNOWNSERVERS from any server',
      catches: 'II.iv/user-ignores-foreign-knownservers',
      incoming: (p, from, tools) => {
        here.note(p, from);
        const current = here.get();
        if (
          p?.kind !== 'ServerCommand' ||
          p.command.verb !== 'KNOWNSERVERS' ||
          !current ||
          key(from) === key(current.at)
        )
          return undefined;
        // Believed as if its own server had sent it.
        tools.inject({ ...p, sender: current.server }, current.at);
        return 'drop';
      },
    },
    {
      name: 'does not show deliveries of kit messages',
      catches: 'III/user-shows-delivery',
      incoming: (p) =>
        p?.kind === 'ServerReply' &&
        p.command.command.verb === 'SEND' &&
        p.command.command.message.startsWith('kit delivery')
          ? 'drop'
          : undefined,
    },
    {
      name: 'exits on a datagram that does not parse',
      catches: 'III/user-survives-garbage',
      incoming: (p) => {
        if (p === undefined) process.exit(3);
        return undefined;
      },
    },
    {
      name: 'does not leave its backup when it goes home',
      catches: 'II.v/user-comes-home',
      outgoing: (p) => (isUser(p, 'EXIT') ? 'drop' : undefined),
    },
    {
      name: 'goes home on any call',
      catches: 'II.v/user-ignores-unvouched-call',
      incoming: (p, from, tools) => {
        here.note(p, from);
        const current = here.get();
        if (p?.kind !== 'ServerCommand' || p.command.verb !== 'PREFERRED' || !current) return undefined;
        // As if its server had vouched for the caller just before.
        tools.inject(
          {
            kind: 'ServerCommand',
            sender: current.server,
            command: { verb: 'KNOWNSERVERS', servers: [p.sender] },
          },
          current.at,
        );
        return undefined;
      },
    },
  ];
}
