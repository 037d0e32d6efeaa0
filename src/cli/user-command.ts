/** `chat-proto user`: an interactive terminal chat client over the reference user node. */
import { createInterface } from 'node:readline';
import { createUserNode, DEFAULT_USER_OPTIONS as DEFAULTS } from '../node/index.ts';
import { CHANGING } from '../node/user/session-table.ts';
import { aliasFlag, endpointFlag, hostFlag, numberFlag, parseFlags, portFlag, UsageError } from './args.ts';
import { ChatClient } from './chat/client.ts';
import { helpText, runCommand } from './chat/commands.ts';
import { completer } from './chat/completer.ts';
import { showNodeEvents } from './chat/node-events.ts';
import { WAITING_TEXT } from './chat/notices.ts';
import { Screen } from './chat/screen.ts';
import { chatStyle } from './chat/style.ts';
import { visible } from './chat/visible.ts';
import { WindowView } from './chat/window-view.ts';
import { Windows } from './chat/windows.ts';
import { inWords } from './chat/words.ts';
import { natsFlags } from './nats-flags.ts';

export const USER_HELP = `Usage: chat-proto user --alias NAME --port N --server HOST:PORT [options]

Registers NAME with the server at HOST:PORT and opens a chat prompt, with a window per room and
per direct conversation (window 1 is the status window; Alt-N or /window N shows window N). After
a failover or coming home, the rooms you were in are joined again on the new server.

  --alias NAME       your alias (letters and digits)
  --port N           port to receive on (0 picks a free one)
  --host HOST        address to receive on: IPv4 or a host name (default ${DEFAULTS.host})
  --server HOST:PORT your preferred server
  --timeout MS       T: wait this long for a reply before sending again (default ${DEFAULTS.timeout})
  --retries N        N: send a request at most N times; when a try gets nothing back the node
                     asks the server PREFERRED, and if that goes unanswered N times too it moves
                     to one of the server's neighbours (default ${DEFAULTS.retries})
  --keep-alive MS    register again (PREFERRED) after this long without hearing from the server
                     or sending to it; 0: never (default ${DEFAULTS.keepAlive})
  --nats URL         reach the servers through NATS instead of UDP (nats://HOST:PORT), for a
                     node with no UDP path to any server; repeat for several nodes of one cluster.
                     HOST:N is then this node's name on NATS (N may not be 0)
  --nats-nkey FILE   the nkey seed NATS knows this node by (written by chat-proto nats-auth)
  -h, --help         this help

Colour only on a terminal, and not when NO_COLOR is set.

At the prompt:
${helpText()}`;

export async function userCommand(
  args: string[],
  io: {
    stdin: NodeJS.ReadableStream;
    stdout: NodeJS.WritableStream;
    out: (line: string) => void;
    err: (line: string) => void;
    colour: boolean;
  },
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    alias: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: DEFAULTS.host },
    server: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
    'keep-alive': { type: 'string' },
    nats: { type: 'string', multiple: true },
    'nats-nkey': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(USER_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.server === undefined) throw new UsageError('--server is required');
  const timeout = numberFlag(values.timeout, '--timeout', DEFAULTS.timeout, 1);
  const port = portFlag(values.port, '--port');
  const host = await hostFlag(values.host, '--host');
  const transport = await natsFlags(values.nats, values['nats-nkey'], { host, port, lan: false });
  const node = createUserNode({
    alias: aliasFlag(values.alias, '--alias'),
    port,
    host,
    server: await endpointFlag(values.server, '--server'),
    timeout,
    retries: numberFlag(values.retries, '--retries', DEFAULTS.retries, 1),
    keepAlive: numberFlag(values['keep-alive'], '--keep-alive', DEFAULTS.keepAlive, 0),
    followRooms: true,
    ...(transport === undefined ? {} : { transport }),
  });
  try {
    await node.start();
  } catch (error) {
    await node.close();
    io.err(`chat-proto: ${inWords(error, 'cannot register', { ...node.server, alias: values.server })}`);
    return 1;
  }

  const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true;
  const nicks = new Set<string>();
  const rooms = new Set<string>();
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal,
    historySize: 500,
    removeHistoryDuplicates: true,
    completer: completer(nicks, rooms),
  });
  const screen = new Screen(rl, io.stdout, terminal, chatStyle(io.colour));

  let status = 0;
  let leaving = false;
  let ended!: () => void;
  const done = new Promise<void>((resolve) => {
    ended = resolve;
  });
  /** The one way out: EXIT (unless the server is gone), a goodbye, then the node closes. */
  const quit = (exit = true) => {
    if (leaving) return done;
    // Set before anything runs: closing readline below calls back into 'close' synchronously.
    leaving = true;
    void (async () => {
      if (exit) {
        // One try: a server that died does not keep the user waiting for N retries.
        const exited = await node
          .exit({ signal: AbortSignal.timeout(timeout) })
          .then(() => true)
          .catch(() => false);
        screen.endPrompt();
        if (exited) screen.status(`left ${visible(node.server.alias)}; bye`);
        else screen.status(`${visible(node.server.alias)} did not confirm leaving; bye`);
      } else {
        screen.endPrompt();
      }
      rl.close();
      await node.close();
      ended();
    })();
    return done;
  };

  const view: WindowView = new WindowView(screen, new Windows(), (): string => chat.promptText());
  const chat: ChatClient = new ChatClient(node, view, () => quit(), nicks, rooms);
  const stopEvents = showNodeEvents(chat, timeout);
  node.on('serverLost', (dead) => {
    status = 1;
    view.error(
      `${visible(dead.alias)} at ${dead.ip}:${dead.port} stopped answering and no backup server took us; exiting`,
    );
    void quit(false);
  });
  // Alt-1..Alt-9 and Alt-0 (window 10): a terminal sends ESC and the digit, which readline
  // reports as a keypress with `meta` and otherwise ignores.
  if (terminal)
    io.stdin.on('keypress', (_text: string, key: { meta?: boolean; name?: string } | undefined) => {
      if (!key?.meta || key.name === undefined || !/^\d$/.test(key.name)) return;
      chat.switchWindow(key.name === '0' ? 10 : Number(key.name));
    });

  // Lines run one at a time, in order, while the prompt stays open for typing.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    screen.eraseEntered(line);
    // The prompt comes back at once: what the line does is printed above it when it is done.
    screen.prompt();
    const text = line.trim();
    // A line that waits because the server is being checked or changed says so, at once or,
    // typed just before the server went quiet, once its first try has had time to go unanswered.
    const sayWaiting = () => {
      if (CHANGING.includes(node.state)) view.status(WAITING_TEXT);
    };
    let waiting: NodeJS.Timeout | undefined;
    if (text !== '' && CHANGING.includes(node.state)) sayWaiting();
    else if (text !== '') waiting = setTimeout(sayWaiting, timeout * 1.5);
    queue = queue.then(async () => {
      try {
        if (leaving) return;
        if (text.startsWith('/')) await runCommand(chat, text);
        else if (text !== '') await chat.say(line);
        screen.prompt();
      } finally {
        clearTimeout(waiting);
      }
    });
  });

  // Ctrl-C at the terminal (readline takes it as a key), or SIGINT/SIGTERM sent to the process.
  rl.on('SIGINT', () => void quit());
  const onSignal = () => void quit();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Ctrl-D, or the end of piped input once the lines before it have run.
  rl.on('close', () => {
    if (!leaving && terminal) io.stdout.write('\n');
    queue = queue.then(() => quit());
  });

  view.status(
    `connected to ${visible(node.server.alias)} at ${node.server.ip}:${node.server.port} as ${screen.style.nick(node.self.alias, true)}; /help for commands`,
  );
  chat.refresh();
  screen.prompt();
  await done;
  stopEvents();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return status;
}
