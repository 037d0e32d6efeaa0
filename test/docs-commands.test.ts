/**
 * Every command the README and docs/ write out runs as written in a clone after `npm install`:
 * `chat-proto` only through `npx` (it is not on the PATH there), with a subcommand and flags that
 * exist; `npm run` only of scripts that exist; `node` only of files that exist. Commands for other
 * tools (firewalls, Docker) and other hosts' addresses are the reader's to adapt.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const sources = [
  'README.md',
  ...readdirSync('docs').flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : [])),
];
const scripts = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: object }).scripts,
);

/** Commands of the ```sh blocks (continuation lines joined, comments dropped) and inline `npx ...`. */
function commands(file: string): { where: string; command: string }[] {
  const found: { where: string; command: string }[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^```(sh|bash|shell)\s*$/.test(line)) {
      inBlock = true;
      continue;
    }
    if (line.startsWith('```')) {
      inBlock = false;
      continue;
    }
    if (inBlock) {
      let command = line;
      const start = i;
      while (command.endsWith('\\') && i + 1 < lines.length)
        command = `${command.slice(0, -1)} ${lines[++i]}`;
      command = command
        .replace(/\s#.*$/, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (command && !command.startsWith('#')) found.push({ where: `${file}:${start + 1}`, command });
      continue;
    }
    // A command written inline in the text: flags and no placeholders.
    for (const [, span] of line.matchAll(/`((?:npx )?chat-proto [^`]*)`/g)) {
      if (/ --\w/.test(span as string) && !/[[<]|[A-Z]{2,}/.test(span as string))
        found.push({ where: `${file}:${i + 1}`, command: span as string });
    }
  }
  return found;
}

const helps = new Map<string, string>();
function helpOf(subcommand: string): string {
  let help = helps.get(subcommand);
  if (help === undefined) {
    help = execFileSync(process.execPath, ['src/cli/main.ts', subcommand, '--help'], { encoding: 'utf8' });
    helps.set(subcommand, help);
  }
  return help;
}

/** What is wrong with a command, or undefined. */
function problem(command: string): string | undefined {
  const words = command.split(' ');
  // Inside a container image or on another host: still a chat-proto command line.
  const at = words.indexOf('chat-proto');
  if (at >= 0 && words[at - 1] !== 'npx' && words[at - 2] !== '--' && words[at - 1] !== '--')
    return 'chat-proto is not on the PATH in a clone: write npx chat-proto';
  if (words[0] === 'npx' && words[1] === 'chat-proto') {
    const subcommand = words[2] as string;
    if (!['server', 'user', 'parse', 'demo', 'conformance', 'nats-auth'].includes(subcommand))
      return `no subcommand ${subcommand}`;
    const own = words.slice(3, words.includes('--') ? words.indexOf('--') : undefined);
    const help = helpOf(subcommand);
    const unknown = own.filter((w) => /^--\w/.test(w) && !help.includes(w));
    return unknown.length > 0 ? `chat-proto ${subcommand} has no ${unknown.join(', ')}` : undefined;
  }
  if (words[0] === 'npm' && words[1] === 'run' && !scripts.includes(words[2] as string))
    return `no npm script ${words[2]}`;
  if (words[0] === 'node' && !existsSync(words[1] as string)) return `no file ${words[1]}`;
  return undefined;
}

test('every command written out in the README and docs/ runs as written in a clone', () => {
  const all = sources.flatMap(commands);
  expect(all.filter((c) => c.command.includes('chat-proto')).length).toBeGreaterThan(20);
  const wrong = all.flatMap(({ where, command }) => {
    const why = problem(command);
    return why ? [`${where}: ${command}: ${why}`] : [];
  });
  expect(wrong).toEqual([]);
});

test('each example is run by an npm script of its name, as its first line and the README say', () => {
  const readme = readFileSync('README.md', 'utf8');
  const json = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  // examples/nats/ is configuration and a shell script, run as docs/network.md says.
  for (const file of readdirSync('examples').filter((f) => f.endsWith('.ts'))) {
    const name = `example:${file.replace(/\.ts$/, '')}`;
    expect(json.scripts[name], name).toMatch(new RegExp(`(^|&& )node examples/${file}$`));
    expect(readFileSync(`examples/${file}`, 'utf8').split('\n')[0]).toContain(`Run: npm run ${name}`);
    expect(readme).toContain(`npm run ${name}`);
  }
});
