/**
 * Tab completion for readline: the command names at the start of a line, then rooms after a
 * command that takes a ROOM, and names (nicks seen, aliases) everywhere else.
 */
import { COMMANDS, lookup } from './commands.ts';

export function completer(nicks: ReadonlySet<string>, rooms: ReadonlySet<string>) {
  return (line: string): [string[], string] => {
    const commandWord = /^\/(\S*)$/.exec(line);
    if (commandWord) {
      const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).map((n) => `/${n}`);
      return [matching(names, line, ' '), line];
    }
    const word = /(\S*)$/.exec(line)?.[1] ?? '';
    const command = /^\/(\S+)\s/.exec(line)?.[1];
    const takesRoom = command !== undefined && lookup(command)?.params[0]?.name === 'ROOM';
    const candidates = takesRoom ? rooms : nicks;
    return [matching([...candidates], word, ' '), word];
  };
}

/** The candidates starting with `prefix`; a single match gets `suffix` so typing can go on. */
function matching(candidates: string[], prefix: string, suffix: string): string[] {
  const hits = [...new Set(candidates)].filter((c) => c.startsWith(prefix)).sort();
  return hits.length === 1 ? [`${hits[0]}${suffix}`] : hits;
}
