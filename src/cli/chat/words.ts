/**
 * Failures said in the user's words: what could not be done, and why, instead of the protocol's
 * `JOINROOM refused: no room lobby`. The server's own reason is kept when there is no better one.
 */
import type { Server } from '../../ast.ts';
import { RequestError } from '../../node/index.ts';
import { visible } from './visible.ts';

/** Server refusals the client can explain better, with a hint of what to do instead. */
const REASONS: [RegExp, (server: string, ...groups: string[]) => string][] = [
  [/^no room (\w+)$/, (server, room) => `${server} knows no room ${room} (/create ${room} makes it)`],
  [/^room (\w+) exists$/, (server, room) => `${room} already exists on ${server} (/join ${room} joins it)`],
  [/^not in room (\w+)$/, (_, room) => `you are not in ${room}`],
  [
    /^join or create a room first$/,
    (server) => `you are in no room on ${server}: /join ROOM or /create ROOM`,
  ],
  [
    /^(\w+) is not known here$/,
    (server, alias) => `${server} knows nobody called ${alias} (/find ${alias} asks every server)`,
  ],
  [/^alias (\w+) is (taken|used by .*)$/, (_, alias) => `${alias} is taken by someone else`],
  [/^nobody has (\w+): (.*)$/, (_, alias, how) => `nobody has the name ${alias} (${how})`],
];

/** `doing`: what the user asked for, e.g. "cannot join lobby". */
export function inWords(error: unknown, doing: string, server: Server): string {
  if (!(error instanceof RequestError)) return `${doing}: ${visible((error as Error).message)}`;
  const name = visible(server.alias);
  switch (error.code) {
    case 'REFUSED': {
      const said = error.reply?.messages.join('; ') ?? '';
      for (const [pattern, explain] of REASONS) {
        const match = pattern.exec(said);
        if (match) return `${doing}: ${explain(name, ...match.slice(1).map(visible))}`;
      }
      return `${doing}: ${name} said "${visible(said || 'no')}"`;
    }
    case 'TIMEOUT':
      return `${doing}: ${name} did not answer`;
    case 'NO_SERVER':
      return `${doing}: no server; ${name} stopped answering and no backup took us`;
    case 'CLOSED':
      return `${doing}: the client is closing`;
  }
}
