/** `chat-proto parse`: packets in, AST as JSON out (or the ProtocolError). */
import { ProtocolError, parse } from '../index.ts';
import { parseFlags } from './args.ts';

export const PARSE_HELP = `Usage: chat-proto parse [--escapes] [PACKET...]

Parses each PACKET argument, or each line of standard input when there is none, and prints
the packet as JSON on one line, or the error on standard error (with several packets, prefixed
by which one: "line 3: " of standard input, "argument 2: "). Exit status 1 if any failed.

  --escapes   read \\0 as NUL, \\n as LF, \\t as TAB and \\\\ as a backslash (NUL is hard to type)
  -h, --help  this help`;

export async function parseCommand(
  args: string[],
  io: { stdin: NodeJS.ReadableStream; out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    escapes: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(PARSE_HELP);
    return 0;
  }
  // Each packet with where it came from, so an error among many says which one it is.
  const packets =
    positionals.length > 0
      ? positionals.map((text, i) => ({ text, where: `argument ${i + 1}` }))
      : (await readAll(io.stdin))
          .split('\n')
          .map((text, i) => ({ text, where: `line ${i + 1}` }))
          .filter((p) => p.text.trim() !== '');
  let failed = 0;
  for (const { text: raw, where } of packets) {
    const text = values.escapes ? unescapeArgument(raw) : raw;
    try {
      io.out(JSON.stringify(parse(text)));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      failed++;
      io.err(`${packets.length > 1 ? `${where}: ` : ''}${error.code} ${error.message}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

function unescapeArgument(text: string): string {
  return text.replace(
    /\\(0|n|t|\\)/g,
    (_, c: string) => ({ '0': '\0', n: '\n', t: '\t', '\\': '\\' })[c] ?? c,
  );
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
