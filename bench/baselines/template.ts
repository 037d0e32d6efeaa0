/**
 * The serializer baseline: template strings and nothing else, no checks. It writes the same
 * canonical text as `serialize` for a valid packet (bench/codec.ts checks the timed corpus before
 * timing, and test/baselines.test.ts both corpora); `serialize` validates every field on top of this.
 * A benchmark baseline, not shipped.
 */
import type { Command, Packet, SCommand, Server, UCommand, UserNode } from '../../src/index.ts';

const address = (a: Server | UserNode) =>
  `${a.alias} ${a.ip} ${a.port < 1000 ? String(a.port).padStart(4, '0') : a.port}`;
const server = (s: Server) => `SERVER ${address(s)}`;
const user = (u: UserNode) => `USERNODE ${address(u)}`;
const message = (m: string) => `MESSAGE ${m}\0`;

function sCommand(c: SCommand): string {
  switch (c.verb) {
    case 'DISCOVER':
      return `DISCOVER ${c.alias}`;
    case 'KNOWNUSERS':
      return c.users.length === 0 ? 'KNOWNUSERS' : `KNOWNUSERS ${c.users.map(user).join(' ')}`;
    case 'KNOWNSERVERS':
      return c.servers.length === 0 ? 'KNOWNSERVERS' : `KNOWNSERVERS ${c.servers.map(server).join(' ')}`;
    case 'PREFERRED':
      return `PREFERRED ${server(c.server)}`;
    case 'JOINCHANNEL':
      return `JOINCHANNEL ${c.ip} ${c.port < 1000 ? String(c.port).padStart(4, '0') : c.port}`;
  }
}

function uCommand(c: UCommand): string {
  switch (c.verb) {
    case 'FIND':
    case 'REMOVE':
      return `${c.verb} ${c.alias}`;
    case 'PREFERRED':
      return `PREFERRED ${server(c.server)}`;
    case 'CREATEROOM':
    case 'JOINROOM':
    case 'LEAVEROOM':
    case 'ULIST':
      return `${c.verb} ${c.room}`;
    case 'LISTROOMS':
    case 'EXIT':
    case 'LIST':
      return c.verb;
    case 'CSEND':
      return `CSEND ${message(c.message)}`;
    case 'ALIAS':
    case 'SETALIAS':
      return `${c.verb} ${user(c.user)}`;
    case 'SEND':
      return `SEND ${c.alias} ${message(c.message)}`;
  }
}

const command = (c: Command) =>
  c.kind === 'ServerCommand'
    ? `${server(c.sender)} ${sCommand(c.command)}`
    : `${user(c.sender)} ${uCommand(c.command)}`;

export function templateSerialize(p: Packet): string {
  if (p.kind !== 'ServerReply') return command(p);
  let text = `SERVERREPLY ${server(p.sender)} ${p.status} ${command(p.command)}`;
  for (const s of p.servers) text += ` ${server(s)}`;
  for (const u of p.users) text += ` ${user(u)}`;
  for (const m of p.messages) text += ` ${message(m)}`;
  return text;
}
