/** `chat-proto conformance`: runs the conformance kit against a server or a user node. */
import { writeFileSync } from 'node:fs';
import {
  type ConformanceReport,
  dryRunLines,
  htmlReport,
  jsonReport,
  junitReport,
  runPassed,
  runServerConformance,
  runUserConformance,
  serverCases,
  terminalReport,
  userCases,
} from '../conformance/index.ts';
import { channelFlag, endpointFlag, numberFlag, parseFlags, UsageError } from './args.ts';

export const CONFORMANCE_HELP = `Usage: chat-proto conformance server HOST:PORT [--channel IP:PORT] [options] [CASE...]
       chat-proto conformance user [options] [CASE...] -- COMMAND...

Tests a server or a user node against the specification, over UDP on this host.

server HOST:PORT   the kit acts as user nodes and, on the channel, as servers
user -- COMMAND    the kit acts as the server and its neighbours, and starts the user node with
                   COMMAND once per case; in COMMAND, {server} is replaced by the kit server's
                   IP:PORT ({server-ip}, {server-port} by its parts) and {alias} by an alias

CASE is a section (II.vi) or a case id (II.vi/find-once); none runs every case.

  --channel IP:PORT  (server) a multicast channel the server is on; cases that need it are
                     Missing without it
  --gossip MS        (server) the server's gossip interval (default 5000)
  --wait MS          how long to wait for an answer: per try for a server (default 500), for a
                     user node's quick reactions (default 2000)
  --patience MS      (user) how long to wait for the node to act by itself: register, keep
                     alive, notice its server failed and move (default 15000)
  --strict           Non-Strict cases count as failures
  --timeout MS       longest a case may take (default 15000, for user nodes 3 x --patience)
  --concurrency N    cases run at once (default 4 for a server, 3 for a user node)
  --dryrun           list the cases and exit
  --junit FILE       write a JUnit XML report
  --json FILE        write a JSON report
  --html FILE        write a self-contained HTML report
  -h, --help         this help

Exit status: 0 when no MUST case failed (nor, with --strict, a Non-Strict one), 1 otherwise,
2 for a usage error.`;

/** Splits at the first `--`: the kit's own arguments, and the command of a user node. */
function splitCommand(args: string[]): [string[], string[]] {
  const at = args.indexOf('--');
  return at < 0 ? [args, []] : [args.slice(0, at), args.slice(at + 1)];
}

export async function conformanceCommand(
  args: string[],
  io: { out: (line: string) => void; err: (line: string) => void; colour: boolean },
): Promise<number> {
  const [own, command] = splitCommand(args);
  const { values, positionals } = parseFlags(own, {
    channel: { type: 'string' },
    gossip: { type: 'string' },
    wait: { type: 'string' },
    patience: { type: 'string' },
    strict: { type: 'boolean' },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    dryrun: { type: 'boolean' },
    junit: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(CONFORMANCE_HELP);
    return 0;
  }
  const [mode, ...rest] = positionals;
  if (mode !== 'server' && mode !== 'user')
    throw new UsageError(
      mode === undefined ? 'say server or user' : `unknown mode "${mode}": say server or user`,
    );

  const cases = mode === 'server' ? serverCases() : userCases();
  if (values.dryrun) {
    const filters = mode === 'server' ? rest.slice(1) : rest;
    const selected = cases.filter(
      (c) =>
        filters.length === 0 ||
        filters.some((f) => c.id === f || c.section === f || c.id.startsWith(`${f}/`)),
    );
    for (const line of dryRunLines(selected)) io.out(line);
    return 0;
  }

  const common = {
    strict: values.strict ?? false,
    ...(values.timeout !== undefined ? { caseTimeout: numberFlag(values.timeout, '--timeout', 0, 1) } : {}),
    ...(values.concurrency !== undefined
      ? { concurrency: numberFlag(values.concurrency, '--concurrency', 0, 1) }
      : {}),
  };
  let report: ConformanceReport;
  try {
    if (mode === 'server') {
      const [where, ...filters] = rest;
      if (where === undefined) throw new UsageError('server needs the HOST:PORT of the server to test');
      if (command.length > 0) throw new UsageError('a command after -- is for user mode only');
      report = await runServerConformance({
        ...common,
        target: await endpointFlag(where, 'HOST:PORT'),
        ...(values.channel !== undefined ? { channel: await channelFlag(values.channel, '--channel') } : {}),
        gossipInterval: numberFlag(values.gossip, '--gossip', 5000, 10),
        wait: numberFlag(values.wait, '--wait', 500, 1),
        filters,
      });
    } else {
      if (command.length === 0)
        throw new UsageError('user needs the command that starts the user node, after --');
      if (values.channel !== undefined || values.gossip !== undefined)
        throw new UsageError('--channel and --gossip are for server mode only');
      report = await runUserConformance({
        ...common,
        command,
        patience: numberFlag(values.patience, '--patience', 15_000, 1),
        wait: numberFlag(values.wait, '--wait', 2000, 1),
        filters: rest,
      });
    }
  } catch (error) {
    // A filter that selects no case is a usage error.
    if (error instanceof Error && error.message.startsWith('no case matches'))
      throw new UsageError(error.message);
    throw error;
  }

  for (const line of terminalReport(report, io.colour)) io.out(line);
  const written: [string | undefined, (r: ConformanceReport) => string][] = [
    [values.junit, junitReport],
    [values.json, jsonReport],
    [values.html, htmlReport],
  ];
  for (const [file, write] of written) {
    if (file === undefined) continue;
    writeFileSync(file, write(report));
    io.err(`wrote ${file}`);
  }
  return runPassed(report) ? 0 : 1;
}
