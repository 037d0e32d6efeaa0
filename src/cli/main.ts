#!/usr/bin/env node
/** The `chat-proto` command: server, user, parse, demo, conformance and nats-auth subcommands. */
import { UsageError } from './args.ts';
import { CONFORMANCE_HELP, conformanceCommand } from './conformance-command.ts';
import { DEMO_HELP, demoCommand } from './demo-command.ts';
import { NATS_AUTH_HELP, natsAuthCommand } from './nats-auth-command.ts';
import { PARSE_HELP, parseCommand } from './parse-command.ts';
import { SERVER_HELP, serverCommand } from './server-command.ts';
import { USER_HELP, userCommand } from './user-command.ts';

const HELP = `Usage: chat-proto <command> [options]

Commands:
  server   run a chat server
  user     chat from this terminal through a server
  parse    print packets as JSON, or say what is wrong with them
  demo     start a small network on this host and narrate what it does
  conformance
           test a server or a user node against the specification
  nats-auth
           write the nkeys and nats-server permissions of a federation over NATS

Run chat-proto <command> --help for a command's options.`;

const HELPS: Record<string, string> = {
  server: SERVER_HELP,
  user: USER_HELP,
  parse: PARSE_HELP,
  demo: DEMO_HELP,
  conformance: CONFORMANCE_HELP,
  'nats-auth': NATS_AUTH_HELP,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  // Colour only for a person at a terminal who has not asked for none (no-color.org).
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  try {
    switch (command) {
      case 'server':
        return await serverCommand(args, { out, err });
      case 'user':
        return await userCommand(args, { stdin: process.stdin, stdout: process.stdout, out, err, colour });
      case 'parse':
        return await parseCommand(args, { stdin: process.stdin, out, err });
      case 'demo':
        return await demoCommand(args, { out, err, colour });
      case 'conformance':
        return await conformanceCommand(args, { out, err, colour });
      case 'nats-auth':
        return await natsAuthCommand(args, { out, err });
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The one line that matters, and where the rest is: not the whole help after it.
    const helpFor = command !== undefined && command in HELPS ? `chat-proto ${command}` : 'chat-proto';
    err(`chat-proto: ${error.message}`);
    err(`Run ${helpFor} --help for the options.`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: Error) => {
    process.stderr.write(`chat-proto: ${error.message}\n`);
    process.exitCode = 1;
  },
);
