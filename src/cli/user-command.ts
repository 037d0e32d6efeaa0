/** `chat-proto user`: an interactive terminal chat client over the reference user node. */
import { createInterface } from 'node:readline';
import { type ChatMessage, createUserNode, RequestError } from '../node/index.ts';
import { aliasFlag, endpointFlag, ipFlag, numberFlag, parseFlags, portFlag, UsageError } from './args.ts';

export const USER_HELP = `Usage: chat-proto user --alias NAME --port N --server IP:PORT [options]

Registers NAME with the server at IP:PORT and opens a chat prompt.

  --alias NAME       your alias (letters and digits)
  --port N           port to receive on (0 picks a free one)
  --host IP          address to receive on (default 127.0.0.1)
  --server IP:PORT   your preferred server
  --timeout MS       T: wait this long for a reply before sending again (default 1000)
  --retries N        N: send a request at most N times; N unanswered sends in a row mean the
                     server failed, and the node moves to one of its neighbours (default 3)
  --keep-alive MS    check on the server after this long without hearing from it; 0: never
                     (default 5000)
  -h, --help         this help

At the prompt:
${commandsHelp()}`;

function commandsHelp(): string {
  return [
    '  /find NAME        where NAME is',
    '  /create ROOM      create a room and join it',
    '  /join ROOM        join a room; plain text goes to it',
    '  /leave ROOM       leave a room',
    '  /who ROOM         members of a room',
    '  /rooms            rooms on your server',
    '  /msg NAME TEXT    a direct message',
    '  /list             every user your server knows',
    '  /alias NAME       add another alias; /unalias NAME removes it',
    '  /nick NAME        change your alias',
    '  /quit             leave the server and exit',
    '  TEXT              say TEXT in the current room',
  ].join('\n');
}

export async function userCommand(
  args: string[],
  io: {
    stdin: NodeJS.ReadableStream;
    stdout: NodeJS.WritableStream;
    out: (line: string) => void;
    err: (line: string) => void;
  },
): Promise<number> {
  const { values } = parseFlags(args, {
    alias: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    server: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
    'keep-alive': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(USER_HELP);
    return 0;
  }
  if (values.server === undefined) throw new UsageError('--server is required');
  const node = createUserNode({
    alias: aliasFlag(values.alias, '--alias'),
    port: portFlag(values.port, '--port'),
    host: ipFlag(values.host, '--host'),
    server: endpointFlag(values.server, '--server'),
    timeout: numberFlag(values.timeout, '--timeout', 1000, 1),
    retries: numberFlag(values.retries, '--retries', 3, 1),
    keepAlive: numberFlag(values['keep-alive'], '--keep-alive', 5000, 0),
  });
  const server = await node.start();
  const interactive = (io.stdout as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: interactive });
  rl.setPrompt(`${node.self.alias}> `);
  // Prints above the line being typed, then redraws it as it was.
  const print = (line: string) => {
    if (interactive) {
      io.stdout.write('\r\x1b[2K');
      io.out(line);
      rl.prompt(true);
    } else {
      io.out(line);
    }
  };
  node.on('message', (m: ChatMessage) =>
    print(m.kind === 'room' ? `[${m.room}] ${m.from.alias}: ${m.text}` : `(${m.from.alias}) ${m.text}`),
  );
  node.on('servers', (servers) =>
    print(`backup servers: ${servers.map((s) => s.alias).join(', ') || 'none'}`),
  );
  node.on('serverChanged', (to, from, reason) =>
    print(
      reason === 'failover'
        ? `${from.alias} stopped answering; now on ${to.alias} at ${to.ip}:${to.port}`
        : `${to.alias} is back at ${to.ip}:${to.port}; moved home from ${from.alias}`,
    ),
  );
  // With no server left the node cannot do anything: say so and end with a failure status.
  let lost = false;
  node.on('serverLost', (dead) => {
    lost = true;
    io.err(
      `${dead.alias} at ${dead.ip}:${dead.port} stopped answering and no backup server took us; exiting`,
    );
    rl.close();
  });
  print(
    `connected to ${server.alias} at ${server.ip}:${server.port} as ${node.self.alias}; /help for commands`,
  );
  if (interactive) rl.prompt();
  let room: string | undefined;
  for await (const line of rl) {
    const [command = '', ...rest] = line.trim().split(/\s+/);
    const argument = rest.join(' ');
    try {
      if (command === '/quit') break;
      if (command === '/help') print(commandsHelp());
      else if (command === '/find') {
        const found = await node.find(argument);
        print(
          found
            ? `${argument} is at ${found.user.ip}:${found.user.port} on ${found.server.alias}`
            : `${argument} was not found`,
        );
      } else if (command === '/create') {
        await node.createRoom(argument);
        room = argument;
        print(`created ${argument}`);
      } else if (command === '/join') {
        await node.join(argument);
        room = argument;
        print(`joined ${argument}`);
      } else if (command === '/leave') {
        await node.leave(argument);
        if (room === argument) room = undefined;
        print(`left ${argument}`);
      } else if (command === '/who')
        print((await node.who(argument)).map((u) => u.alias).join(' ') || '(nobody)');
      else if (command === '/rooms') print((await node.rooms()).join(' ') || '(no rooms)');
      else if (command === '/msg') {
        const [to = '', ...words] = rest;
        await node.send(to, words.join(' '));
      } else if (command === '/list') print((await node.list()).map((u) => u.alias).join(' ') || '(nobody)');
      else if (command === '/alias') await node.addAlias(argument);
      else if (command === '/unalias') await node.removeAlias(argument);
      else if (command === '/nick') {
        await node.setAlias(argument);
        rl.setPrompt(`${node.self.alias}> `);
      } else if (command.startsWith('/')) print(`unknown command ${command}; /help lists them`);
      else if (line.trim() !== '') {
        if (room === undefined) print('join or create a room first (/join ROOM)');
        else await node.say(line);
      }
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      print(error.message);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  if (lost) {
    await node.close();
    return 1;
  }
  await node.exit().catch((error: Error) => io.err(`exit: ${error.message}`));
  await node.close();
  return 0;
}
