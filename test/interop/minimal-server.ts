/**
 * A second, minimal server, written from the specification alone, to run against the reference
 * over real UDP and multicast on 127.0.0.1. It reads and writes packets with the codec and nothing
 * else of the package. It does what Sections I–IV ask and no more: no rooms, no retries, no
 * liveness checks, no rate limits.
 *
 * Where the specification is silent it takes the plainest reading: every reply goes by unicast to
 * the address the command's sender field names (Section III: "the sender's reply address"); a
 * neighbour's KNOWNUSERS replaces what it said before; a FIND or relayed SEND is passed on at most
 * once in 5 s, so floods end; a user is registered by PREFERRED and its alias is held by address.
 */
import dgram from 'node:dgram';
import {
  type Command,
  type Packet,
  type Server,
  type ServerReply,
  type Status,
  safeParse,
  serialize,
  type UserCommand,
  type UserNode,
} from '../../src/index.ts';

const LOOPBACK = '127.0.0.1';

export interface Address {
  ip: string;
  port: number;
}

export interface MinimalServerOptions {
  alias: string;
  /** Multicast channels joined at start (Section II.i). */
  channels: Address[];
  /** Milliseconds between KNOWNUSERS/KNOWNSERVERS rounds. Default 4000. */
  gossipInterval?: number;
  /** DISCOVERs sent at start, `discoverInterval` ms apart. Default 3 and 100. */
  discoverCount?: number;
  discoverInterval?: number;
  /**
   * How a SEND reaches a local recipient: `forward` passes the SEND packet itself on from this
   * server's socket; `reply` sends `SERVERREPLY <self> +OK <echoed SEND>`. Default `forward`.
   */
  delivery?: 'forward' | 'reply';
  /** How a SEND for a user of another server is passed on: unicast to it, or multicast on every channel. */
  remoteSend?: 'unicast' | 'multicast';
  /** Send DISCOVERs from a second socket, still naming the listener's address in the Server field. */
  discoverFromSeparateSocket?: boolean;
  /** Send every unicast datagram from a second socket of its own, naming the listener's address. */
  unicastFromSeparateSocket?: boolean;
  /** Send the -ERR for an alias collision from the channel socket it arrived on. */
  collisionRepliesFromChannelSocket?: boolean;
  /** Gossip stops by itself after this many ms. Default 60000. */
  lifetime?: number;
  /** Gossip every `gossipInterval` (default), or only at start and when its users change. */
  timerGossip?: boolean;
}

export interface Received {
  packet: Packet;
  from: Address;
  /** The socket it arrived on. */
  on: 'unicast' | 'channel' | 'send';
}

interface Registered {
  user: UserNode;
  /** Alias of the server the user named in PREFERRED. */
  prefers: string;
}

const sameAddress = (a: Address, b: Address) => a.ip === b.ip && a.port === b.port;

export class MinimalServer {
  readonly options: Required<MinimalServerOptions>;
  readonly received: Received[] = [];
  readonly sent: { text: string; to: Address }[] = [];
  /** Servers that answered our DISCOVER with +OK, or whose own claim we accepted, by alias. */
  readonly neighbours = new Map<string, Server>();
  readonly users = new Map<string, Registered>();
  /** Users learned from a neighbour's KNOWNUSERS, by alias, with the server hosting them. */
  readonly directory = new Map<string, { user: UserNode; server: Server }>();
  alias: string;
  #unicast = dgram.createSocket('udp4');
  #sendSocket: dgram.Socket | undefined;
  readonly #channelSockets: { channel: Address; socket: dgram.Socket }[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  /** FINDs and SENDs already relayed, by their wire text: each is passed on once (Section II.vi). */
  readonly #relayed = new Set<string>();
  readonly #waiting: { match: (r: ServerReply) => boolean; resolve: (r: ServerReply) => void }[] = [];
  #port = 0;
  #renames = 0;

  constructor(options: MinimalServerOptions) {
    this.options = {
      gossipInterval: 4000,
      discoverCount: 3,
      discoverInterval: 100,
      delivery: 'forward',
      remoteSend: 'unicast',
      discoverFromSeparateSocket: false,
      unicastFromSeparateSocket: false,
      collisionRepliesFromChannelSocket: false,
      lifetime: 60_000,
      timerGossip: true,
      ...options,
    };
    this.alias = options.alias;
  }

  get self(): Server {
    return { kind: 'Server', alias: this.alias, ip: LOOPBACK, port: this.#port };
  }

  get channels(): Address[] {
    return this.#channelSockets.map((c) => c.channel);
  }

  /** Binds, joins the channels, sends the DISCOVERs and resolves once they are all out. */
  async start(): Promise<Server> {
    this.#port = await bind(this.#unicast, 0, LOOPBACK, 'unicast', this);
    this.#multicastSender(this.#unicast);
    if (this.options.discoverFromSeparateSocket || this.options.unicastFromSeparateSocket) {
      this.#sendSocket = dgram.createSocket('udp4');
      await bind(this.#sendSocket, 0, LOOPBACK, 'send', this);
      this.#multicastSender(this.#sendSocket);
    }
    for (const channel of this.options.channels) await this.joinChannel(channel);
    for (let i = 0; i < this.options.discoverCount; i++) {
      this.#discover();
      await this.#sleep(this.options.discoverInterval);
    }
    this.#gossip();
    if (!this.options.timerGossip) return this.self;
    const rounds = Math.ceil(this.options.lifetime / this.options.gossipInterval);
    let round = 0;
    const timer = setInterval(() => {
      if (++round >= rounds) clearInterval(timer);
      this.#gossip();
    }, this.options.gossipInterval);
    this.#timers.add(timer);
    return this.self;
  }

  async joinChannel(channel: Address): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await bind(socket, channel.port, '0.0.0.0', 'channel', this);
    socket.addMembership(channel.ip, LOOPBACK);
    this.#multicastSender(socket);
    this.#channelSockets.push({ channel, socket });
  }

  /** Asks `to` to join `channel` (Section II.ii); the status of its answer, or undefined if none came. */
  async inviteToChannel(to: Address, channel: Address, wait = 1500): Promise<Status | undefined> {
    const request: Command = {
      kind: 'ServerCommand',
      sender: this.self,
      command: { verb: 'JOINCHANNEL', ip: channel.ip, port: channel.port },
    };
    const text = serialize(request);
    const answer = this.#awaitReply((r) => serialize(r.command) === text, wait);
    this.#send(text, to);
    return (await answer)?.status;
  }

  /** While true, every datagram that arrives is ignored: the server is silent, as if cut off. */
  deaf = false;

  /** Sends its DISCOVER on every channel again, as on coming back (Section II.i). */
  discover(): void {
    this.#discover();
  }

  /** Sends text from the unicast socket as it is, for tests that need an exact datagram again. */
  sendRaw(text: string, to: Address): void {
    this.#send(text, to);
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const sockets = [this.#unicast, ...this.#channelSockets.map((c) => c.socket)];
    if (this.#sendSocket) sockets.push(this.#sendSocket);
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  receive(data: Buffer, from: Address, on: Received['on'], socket: dgram.Socket): void {
    if (this.deaf) return;
    const result = safeParse(data);
    if (!result.ok) return;
    const packet = result.value;
    if (sameAddress(packet.sender, this.self)) return; // our own multicast, looped back
    this.received.push({ packet, from, on });
    if (packet.kind === 'ServerReply') this.#onReply(packet);
    else if (packet.kind === 'ServerCommand') this.#onServerCommand(packet, socket);
    else this.#onUserCommand(packet, from);
  }

  #onReply(reply: ServerReply): void {
    const echoed = reply.command;
    if (echoed.kind !== 'ServerCommand' || !sameAddress(echoed.sender, this.self)) return;
    for (const w of this.#waiting.filter((w) => w.match(reply))) w.resolve(reply);
    if (echoed.command.verb !== 'DISCOVER' || echoed.command.alias !== this.alias) return;
    // Section II.i: a +OK to our DISCOVER makes its sender a neighbour; an -ERR means the alias is taken.
    if (reply.status === '+OK') this.neighbours.set(reply.sender.alias, reply.sender);
    else if (this.#renames++ < 3) {
      // "sends its own broadcast of the DISCOVER Command until it has found its neighbors or changed its alias"
      this.alias = `${this.alias}2`;
      this.#discover();
    }
  }

  #onServerCommand(packet: Extract<Packet, { kind: 'ServerCommand' }>, socket: dgram.Socket): void {
    const { sender, command } = packet;
    switch (command.verb) {
      case 'DISCOVER': {
        // Section III: a known alias gets -ERR; otherwise +OK with our Server, to be a neighbour.
        const holder = command.alias === this.alias ? this.self : this.neighbours.get(command.alias);
        const collision = holder !== undefined && !sameAddress(holder, sender);
        const reply = this.#reply(packet, collision ? '-ERR' : '+OK');
        const fromChannel = collision && this.options.collisionRepliesFromChannelSocket;
        this.#send(reply, sender, fromChannel ? socket : undefined);
        if (!collision && command.alias === sender.alias) this.neighbours.set(sender.alias, sender);
        return;
      }
      case 'KNOWNUSERS': {
        if (!this.#isNeighbour(sender)) return;
        for (const [alias, entry] of this.directory)
          if (sameAddress(entry.server, sender)) this.directory.delete(alias);
        for (const user of command.users) this.directory.set(user.alias, { user, server: sender });
        return;
      }
      case 'PREFERRED': {
        // Section II.v: the users here that prefer the asking server.
        const guests = [...this.users.values()].filter((r) => r.prefers === command.server.alias);
        const reply = this.#reply(
          packet,
          '+OK',
          [],
          guests.map((g) => g.user),
        );
        this.#send(reply, sender);
        return;
      }
      case 'JOINCHANNEL': {
        const ok = this.#isNeighbour(sender) && isMulticast(command.ip) && command.port !== 0;
        if (ok && !this.channels.some((c) => sameAddress(c, command))) void this.joinChannel(command);
        this.#send(this.#reply(packet, ok ? '+OK' : '-ERR'), sender);
        return;
      }
      case 'KNOWNSERVERS':
        return;
    }
  }

  #onUserCommand(packet: UserCommand, from: Address): void {
    const { sender, command } = packet;
    const direct = sameAddress(sender, from);
    const relayedByNeighbour = !direct && [...this.neighbours.values()].some((n) => sameAddress(n, from));
    const registered = direct && this.users.get(sender.alias);
    if (command.verb === 'PREFERRED' && direct) this.#register(packet);
    else if (!registered && !relayedByNeighbour) return;
    else if (command.verb === 'FIND') this.#find(packet, from);
    else if (command.verb === 'SEND') this.#sendMessage(packet, from, relayedByNeighbour);
    else if (command.verb === 'EXIT' && registered) {
      this.users.delete(sender.alias);
      this.#send(this.#reply(packet, '+OK'), sender);
      this.#gossip();
    }
    // CREATEROOM, JOINROOM, LISTROOMS and the rest: not implemented, no reply.
  }

  #register(packet: UserCommand): void {
    const { sender, command } = packet;
    const held = this.users.get(sender.alias) ?? this.directory.get(sender.alias);
    if (held && !sameAddress(held.user, sender)) {
      this.#send(this.#reply(packet, '-ERR'), sender);
      return;
    }
    const prefers = command.verb === 'PREFERRED' ? command.server.alias : this.alias;
    const isNew = !this.users.has(sender.alias);
    this.users.set(sender.alias, { user: sender, prefers });
    this.#send(this.#reply(packet, '+OK', [...this.neighbours.values()]), sender);
    if (isNew) this.#gossip();
  }

  /** Section II.vi: answer the user directly when we know the alias, else forward to every neighbour. */
  #find(packet: UserCommand, from: Address): void {
    if (packet.command.verb !== 'FIND') return;
    const text = serialize(packet);
    if (this.#relayed.has(text)) return;
    this.#remember(text);
    const local = this.users.get(packet.command.alias);
    const found = local ? { user: local.user, server: this.self } : this.directory.get(packet.command.alias);
    if (found) this.#send(this.#reply(packet, '+OK', [found.server], [found.user]), packet.sender);
    else for (const n of this.neighbours.values()) if (!sameAddress(n, from)) this.#send(text, n);
  }

  #sendMessage(packet: UserCommand, from: Address, relayed: boolean): void {
    if (packet.command.verb !== 'SEND') return;
    const text = serialize(packet);
    const local = this.users.get(packet.command.alias);
    const remote = this.directory.get(packet.command.alias);
    if (relayed && this.#relayed.has(text)) return;
    if (relayed) this.#remember(text);
    if (local) {
      const delivery = this.options.delivery === 'forward' ? text : this.#reply(packet, '+OK');
      this.#send(delivery, local.user);
    } else if (remote && this.options.remoteSend === 'multicast') {
      for (const { channel } of this.#channelSockets) this.#send(text, channel);
    } else if (remote && !sameAddress(remote.server, from)) {
      this.#send(text, remote.server);
    }
    if (!relayed) this.#send(this.#reply(packet, local || remote ? '+OK' : '-ERR'), packet.sender);
  }

  #gossip(): void {
    const users: Command = {
      kind: 'ServerCommand',
      sender: this.self,
      command: { verb: 'KNOWNUSERS', users: [...this.users.values()].map((r) => r.user) },
    };
    const servers: Command = {
      kind: 'ServerCommand',
      sender: this.self,
      command: { verb: 'KNOWNSERVERS', servers: [...this.neighbours.values()] },
    };
    for (const { channel } of this.#channelSockets) {
      this.#send(serialize(users), channel);
      this.#send(serialize(servers), channel);
    }
  }

  #discover(): void {
    const text = serialize({
      kind: 'ServerCommand',
      sender: this.self,
      command: { verb: 'DISCOVER', alias: this.alias },
    });
    for (const { channel } of this.#channelSockets) this.#send(text, channel, this.#sendSocket);
  }

  #reply(to: Command, status: Status, servers: Server[] = [], users: UserNode[] = []): string {
    return serialize({
      kind: 'ServerReply',
      sender: this.self,
      status,
      command: to,
      servers,
      users,
      messages: [],
    });
  }

  #isNeighbour(server: Server): boolean {
    return (
      this.neighbours.get(server.alias) !== undefined &&
      sameAddress(this.neighbours.get(server.alias) as Server, server)
    );
  }

  #remember(text: string): void {
    this.#relayed.add(text);
    const timer = setTimeout(() => this.#relayed.delete(text), 5000);
    this.#timers.add(timer);
  }

  #awaitReply(match: (r: ServerReply) => boolean, wait: number): Promise<ServerReply | undefined> {
    return new Promise((resolve) => {
      const entry = { match, resolve: (r: ServerReply | undefined) => done(r) };
      const timer = setTimeout(() => done(undefined), wait);
      this.#timers.add(timer);
      const done = (r: ServerReply | undefined) => {
        clearTimeout(timer);
        const i = this.#waiting.indexOf(entry);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(r);
      };
      this.#waiting.push(entry);
    });
  }

  #send(text: string, to: Address, through?: dgram.Socket): void {
    const separate = this.options.unicastFromSeparateSocket && !isMulticast(to.ip) && this.#sendSocket;
    const socket = through ?? (separate || this.#unicast);
    this.sent.push({ text, to });
    socket.send(text, to.port, to.ip);
  }

  #multicastSender(socket: dgram.Socket): void {
    socket.setMulticastInterface(LOOPBACK);
    socket.setMulticastTTL(1);
    socket.setMulticastLoopback(true);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#timers.add(setTimeout(resolve, ms)));
  }
}

function isMulticast(ip: string): boolean {
  const first = Number(ip.split('.')[0]);
  return first >= 224 && first <= 239;
}

function bind(
  socket: dgram.Socket,
  port: number,
  address: string,
  on: Received['on'],
  server: MinimalServer,
) {
  return new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data, rinfo) =>
      server.receive(data, { ip: rinfo.address, port: rinfo.port }, on, socket),
    );
    socket.bind(port, address, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket.address().port);
    });
  });
}

export function createMinimalServer(options: MinimalServerOptions): MinimalServer {
  return new MinimalServer(options);
}
