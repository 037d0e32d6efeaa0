/** `chat-proto server`: runs a reference server until SIGINT or SIGTERM. */
import { createServer, DEFAULT_CHANNEL, DEFAULT_SERVER_OPTIONS as DEFAULTS } from '../node/index.ts';
import { aliasFlag, channelFlag, hostFlag, numberFlag, parseFlags, portFlag, UsageError } from './args.ts';
import { natsFlags } from './nats-flags.ts';

export const SERVER_HELP = `Usage: chat-proto server --alias NAME --port N [options]

Runs a chat server: claims NAME on the multicast channels (renaming NAME2, NAME3... if it is
taken), gossips with the servers it finds and serves user nodes on HOST:N.

  --alias NAME         alias to claim (letters and digits)
  --port N             unicast port (0 picks a free one)
  --host HOST          unicast address: IPv4 or a host name (default ${DEFAULTS.host})
  --channel IP:PORT    multicast channel; repeat for several (default ${DEFAULT_CHANNEL.ip}:${DEFAULT_CHANNEL.port})
  --interface HOST     interface multicast is sent and joined on (default ${DEFAULTS.interface}: this host only;
                       name a LAN interface's address to reach other hosts)
  --gossip MS          gossip interval (default ${DEFAULTS.gossipInterval}); neighbours' own intervals are learned
  --state FILE         keep alias, channels and neighbours in FILE (written atomically on every
                       change); on restart, take them back and call this server's users home
  --user-expiry MS     drop a user not heard from for this long, as if it had sent EXIT
                       (default ${DEFAULTS.userExpiry}; user nodes' keep-alives keep live users)
  --nats URL           federate through NATS (nats://HOST:PORT); repeat for several nodes of one
                       cluster. No multicast is then sent or joined: channels are NATS subjects,
                       servers meet through NATS, and user nodes still reach this server by UDP
  --nats-nkey FILE     the nkey seed NATS knows this server by (written by chat-proto nats-auth)
  --group IP:PORT      a private channel (Section II.ii): invite the --invite servers onto it once
                       they are neighbours, and join it when one accepts
  --invite ALIAS       a neighbour to invite onto the --group channel; repeat for several
  --leave-on-invite    on accepting another server's invitation, leave every other channel
                       (saved with --state); by default every channel is kept
  -h, --help           this help

On SIGUSR1 the server prints its counters (datagrams received, undecodable, spoofed, rate-limited,
over a limit, repeats, sent) as one line of JSON.`;

export async function serverCommand(
  args: string[],
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const { values } = parseFlags(args, {
    alias: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: DEFAULTS.host },
    channel: { type: 'string', multiple: true },
    interface: { type: 'string', default: DEFAULTS.interface },
    gossip: { type: 'string' },
    state: { type: 'string' },
    'user-expiry': { type: 'string' },
    nats: { type: 'string', multiple: true },
    'nats-nkey': { type: 'string' },
    group: { type: 'string' },
    invite: { type: 'string', multiple: true },
    'leave-on-invite': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(SERVER_HELP);
    return 0;
  }
  const port = portFlag(values.port, '--port');
  const host = await hostFlag(values.host, '--host');
  const transport = await natsFlags(values.nats, values['nats-nkey'], { host, port, lan: true });
  const server = createServer({
    alias: aliasFlag(values.alias, '--alias'),
    port,
    host,
    interface: await hostFlag(values.interface, '--interface'),
    channels: await Promise.all(
      (values.channel ?? [`${DEFAULT_CHANNEL.ip}:${DEFAULT_CHANNEL.port}`]).map((c) =>
        channelFlag(c, '--channel'),
      ),
    ),
    gossipInterval: numberFlag(values.gossip, '--gossip', DEFAULTS.gossipInterval, 10),
    userExpiry: numberFlag(values['user-expiry'], '--user-expiry', DEFAULTS.userExpiry, 1),
    ...(values.state === undefined ? {} : { state: values.state }),
    ...(transport === undefined ? {} : { transport }),
    ...(await groupFlags(values.group, values.invite)),
    leaveOnInvite: values['leave-on-invite'],
  });
  server.on('aliasChanged', (from, to) => io.out(`alias ${from} is taken; trying ${to}`));
  server.on('neighbourFound', (s) => io.out(`neighbour ${s.alias} at ${s.ip}:${s.port}`));
  server.on('neighbourLost', (s) => io.out(`neighbour ${s.alias} went silent`));
  server.on('userAttached', (u) => io.out(`user ${u.alias} attached from ${u.ip}:${u.port}`));
  server.on('userLeft', (u) => io.out(`user ${u.alias} left`));
  server.on('userExpired', (u, silentFor) =>
    io.out(`user ${u.alias} expired: nothing heard for ${Math.round(silentFor / 1000)} s`),
  );
  server.on('userAliasChanged', (u, change, alias) =>
    io.out(
      change === 'renamed'
        ? `user ${alias} is now ${u.alias}`
        : `user ${u.alias} ${change === 'added' ? 'added' : 'removed'} alias ${alias}`,
    ),
  );
  server.on('channelsChanged', (channels) =>
    io.out(`channels now ${channels.map((c) => `${c.ip}:${c.port}`).join(', ')}`),
  );
  server.on('userCalledHome', (u, via) => io.out(`calling ${u.alias} home from ${via.alias}`));
  server.on('warning', (w) => io.err(`warning: ${w.message}`));
  server.on('error', (e) => io.err(`error: ${e.message}`));
  const self = await server.start();
  io.out(
    `server ${self.alias} listening on ${self.ip}:${self.port}, channels ${server.channels.map((c) => `${c.ip}:${c.port}`).join(', ')}${transport ? ` over NATS ${values.nats?.join(', ')}` : ''}`,
  );
  const printCounters = () => io.out(`counters ${JSON.stringify(server.counters)}`);
  process.on('SIGUSR1', printCounters);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.off('SIGUSR1', printCounters);
  await server.close();
  io.out('server stopped');
  return 0;
}

/** `--group IP:PORT` with one `--invite ALIAS` or more: the `group` option; one without the other is a usage error. */
async function groupFlags(group: string | undefined, invite: string[] | undefined) {
  if (group === undefined && invite === undefined) return {};
  if (group === undefined) throw new UsageError('--invite needs --group IP:PORT, the channel to invite onto');
  if (invite === undefined) throw new UsageError('--group needs at least one --invite ALIAS');
  return {
    group: {
      channel: await channelFlag(group, '--group'),
      invite: invite.map((a) => aliasFlag(a, '--invite')),
    },
  };
}
