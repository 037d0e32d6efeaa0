/**
 * The reference user node: `createUserNode(options)` registers with a server (PREFERRED) and then
 * offers the user commands as promise-returning methods. A reply is matched to its request by the
 * echoed command (request.ts); the failure detector is liveness.ts, failover and coming home are
 * failover.ts.
 *
 * Fault discovery (Section II.iii): a request unanswered after `timeout` ms is sent again, up to
 * `retries` times. When `retries` sends in a row to the server got no datagram back at all, the
 * server is taken as failed and the node fails over to one of its neighbours; requests in flight
 * then go there. An idle node checks on its server every `keepAlive` ms. Recovery (Section II.v):
 * a `PREFERRED` from the preferred server itself brings the node home.
 */
import { EventEmitter } from 'node:events';
import type { Packet, Server, ServerReply, UCommand, UserNode } from '../../ast.ts';
import { isRoomName } from '../../values.ts';
import type { Clock } from '../clock.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { reportUnheard } from '../unheard.ts';
import { decode, encode, serverAt, userAt } from '../wire.ts';
import { deliveryOf } from './deliveries.ts';
import { RecentDeliveries } from './duplicates.ts';
import { RequestError } from './errors.ts';
import type { ChatMessage, Location, RequestOptions, UserEvents } from './events.ts';
import { Failover } from './failover.ts';
import { ServerLiveness } from './liveness.ts';
import { bufferedMessages } from './message-queue.ts';
import { resolveUserNodeOptions, type UserNodeOptions } from './options.ts';
import { type RequestMode, Requests } from './request.ts';
import { followRooms } from './room-follower.ts';

/**
 * A user node: registers with its preferred server, finds users, chats in rooms, sends direct
 * messages, fails over to a neighbour when its server dies and goes home when it returns. Made
 * by {@link createUserNode}.
 * @example
 * await using ann = createUserNode({ alias: 'ann', server: { ip: '127.0.0.1', port: 8000 } });
 * await ann.start();
 * await ann.send('bob', 'hi bob');
 */
export class ChatUser extends EventEmitter<UserEvents> {
  readonly #transport: Transport;
  readonly #liveness: ServerLiveness;
  readonly #failover: Failover;
  readonly #requests: Requests;
  readonly #messageBuffer: number;
  readonly #deliveries: RecentDeliveries;
  readonly #clock: Clock;
  #alias: string;
  #closed = false;

  /** Checks the options (a TypeError or RangeError names a wrong one); binds nothing yet. */
  constructor(options: UserNodeOptions) {
    super();
    const o = resolveUserNodeOptions(options);
    this.#alias = o.alias;
    this.#messageBuffer = o.messageBuffer;
    this.#clock = o.clock;
    this.#deliveries = new RecentDeliveries(o.duplicateWindow);
    this.#liveness = new ServerLiveness(o.clock, o.retries, o.keepAlive);
    const node = this;
    const liveness = this.#liveness;
    const failover = new Failover(
      {
        get closed() {
          return node.#closed;
        },
        liveness,
        events: this,
        request: (command, mode) => this.#request(command, mode),
        settled: (confirmed) =>
          failover.lost ? this.#requests.failAll(this.#noServer()) : this.#requests.restartAll(confirmed),
      },
      serverAt(o.server.alias ?? 'preferred', o.server),
    );
    this.#failover = failover;
    this.#requests = new Requests({
      clock: o.clock,
      timeout: o.timeout,
      retries: o.retries,
      findWait: o.findWait,
      liveness,
      placement: failover,
      send: (packet, to) => this.#send(packet, to),
    });
    this.#transport = o.transport ?? udpTransport({ host: o.host, port: o.port });
    this.#transport.on('datagram', (data, from) => this.#receive(data, from));
    this.#transport.on('error', (error) => reportUnheard(this, 'error', error));
    if (o.followRooms) followRooms(this);
  }

  /** This user node as it names itself on the wire. */
  get self(): UserNode {
    return userAt(this.#alias, this.#transport.address);
  }

  /** The server this node is registered with. */
  get server(): Server {
    return this.#failover.server;
  }

  /** The server this node prefers (its home), whether or not it is there now. */
  get preferred(): Server {
    return this.#failover.preferred;
  }

  /** The registered server's neighbours, as it last told us. */
  get backups(): readonly Server[] {
    return this.#failover.backups;
  }

  /** Binds and registers with the preferred server. Resolves with that server's identity. */
  async start(options: RequestOptions = {}): Promise<Server> {
    options.signal?.throwIfAborted();
    await this.#transport.open();
    const home = this.#failover.server;
    const answer = await this.#request({ verb: 'PREFERRED', server: home }, { ...options, to: home });
    this.#failover.registered(answer);
    this.#liveness.start(() => this.#checkIn());
    return this.#failover.server;
  }

  /** FIND: where `alias` is, or undefined when no server answered that it knows it. */
  async find(alias: string, options: RequestOptions = {}): Promise<Location | undefined> {
    const answer = await this.#request({ verb: 'FIND', alias }, { ...options, find: true }).catch(
      (error: RequestError) => {
        // -ERR, or no answer from a server that answers PREFERRED: a server that cannot answer
        // a FIND may pass it on and say nothing (Section II.vi).
        if (error.code === 'REFUSED' || error.code === 'TIMEOUT') return undefined;
        throw error;
      },
    );
    const server = answer?.servers[0];
    const user = answer?.users[0];
    return server && user ? { server, user } : undefined;
  }

  /** CREATEROOM: creates a room on the server and joins it. */
  async createRoom(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'CREATEROOM', room }, options);
  }

  /** JOINROOM: joins a room; it becomes the room `say` talks to. */
  async join(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'JOINROOM', room }, options);
  }

  /** LEAVEROOM. */
  async leave(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'LEAVEROOM', room }, options);
  }

  /** ULIST: a room's members. */
  async who(room: string, options: RequestOptions = {}): Promise<UserNode[]> {
    return (await this.#request({ verb: 'ULIST', room }, options)).users;
  }

  /**
   * LISTROOMS: the rooms on the server. A server cuts a list too long for one datagram and says
   * so in a last Message that is not a room name; only the room names are returned.
   */
  async rooms(options: RequestOptions = {}): Promise<string[]> {
    return (await this.#request({ verb: 'LISTROOMS' }, options)).messages.filter(isRoomName);
  }

  /** CSEND: says something in the current room. */
  async say(text: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'CSEND', message: text }, options);
  }

  /** SEND: a direct message to an alias, through the server. */
  async send(alias: string, text: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'SEND', alias, message: text }, options);
  }

  /** SEND straight to another user node's address, with no server in the path (no reply). */
  sendDirect(to: UserNode, text: string): void {
    this.#send(
      { kind: 'UserCommand', sender: this.self, command: { verb: 'SEND', alias: to.alias, message: text } },
      to,
    );
  }

  /** LIST: every user the server knows. */
  async list(options: RequestOptions = {}): Promise<UserNode[]> {
    return (await this.#request({ verb: 'LIST' }, options)).users;
  }

  /** SETALIAS: renames this user node. */
  async setAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'SETALIAS', user: userAt(alias, this.#transport.address) }, options);
    this.#alias = alias;
  }

  /** ALIAS: adds another alias that FIND and SEND resolve to this node. */
  async addAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'ALIAS', user: userAt(alias, this.#transport.address) }, options);
  }

  /** REMOVE: drops an alias added with `addAlias`. */
  async removeAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'REMOVE', alias }, options);
  }

  /**
   * EXIT: deregisters from the server (the node stays open; `close()` ends it, `start()`
   * registers again). From then on, answered or not, the node no longer checks on the server.
   */
  async exit(options: RequestOptions = {}): Promise<void> {
    try {
      await this.#request({ verb: 'EXIT' }, options);
    } finally {
      this.#failover.left();
    }
  }

  /**
   * Incoming chat messages, as an async iterator (the same as the `message` events). It ends when
   * the node closes, and throws `signal.reason` when `signal` aborts. Messages wait for the reader
   * in a buffer of `messageBuffer` bytes; beyond it the oldest are dropped, with a warning.
   *
   * ```ts
   * for await (const m of user.messages()) console.log(`${m.from.alias}: ${m.text}`);
   * ```
   */
  messages(options: { signal?: AbortSignal } = {}): AsyncGenerator<ChatMessage, void, undefined> {
    return bufferedMessages(this, () => this.#closed, this.#messageBuffer, options.signal);
  }

  /** Stops the node: pending requests fail with CLOSED and the socket closes. Does not EXIT. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#liveness.stop();
    this.#requests.failAll(new RequestError('CLOSED', 'the user node was closed'));
    this.emit('close');
    await this.#transport.close();
  }

  /** `await using user = createUserNode(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #send(packet: Packet, to: Endpoint): void {
    // Unpadded, even the PREFERRED that opens a conversation: a server answers a stranger within
    // three times its bytes, listing fewer neighbours, and sends the rest once it hears from us.
    this.#transport.send(encode(packet), to);
    if (sameEndpoint(to, this.#failover.server)) this.#liveness.sent();
    this.emit('packetOut', packet, to);
  }

  /** Sends a command to the server and resolves with its +OK reply; -ERR rejects with REFUSED. */
  #request(command: UCommand, mode: RequestMode = {}): Promise<ServerReply> {
    if (this.#closed) return Promise.reject(new RequestError('CLOSED', 'the user node was closed'));
    if (mode.signal?.aborted) return Promise.reject(mode.signal.reason);
    if (this.#failover.lost && !mode.to) return Promise.reject(this.#noServer());
    return this.#requests.send({ kind: 'UserCommand', sender: this.self, command }, mode);
  }

  /**
   * Keep-alive: an idle node registers again (PREFERRED, which every server answers and which
   * changes nothing), so a dead server is noticed and a live one does not expire it.
   */
  #checkIn(): void {
    if (this.#failover.switching || this.#failover.lost || this.#requests.busy) return;
    this.#failover.checkServer();
  }

  #noServer(): RequestError {
    const { alias, ip, port } = this.#failover.server;
    const reason = `server ${alias} at ${ip}:${port} stopped answering and no backup took this node`;
    return new RequestError('NO_SERVER', reason);
  }

  #receive(data: Uint8Array, from: Endpoint): void {
    const decoded = decode(data);
    if (!decoded.ok) {
      const reason = `undecodable datagram from ${from.ip}:${from.port}: ${decoded.error.message}`;
      reportUnheard(this, 'warning', new Error(reason));
      return;
    }
    const packet = decoded.value;
    this.emit('packetIn', packet, from);
    const failover = this.#failover;
    if (sameEndpoint(from, failover.server)) this.#liveness.heard();
    if (packet.kind === 'ServerReply') {
      // A server answers from the address it names, and only our own server delivers to us.
      if (!sameEndpoint(packet.sender, from)) return;
      if (
        packet.command.kind === 'UserCommand' &&
        sameEndpoint(packet.command.sender, this.#transport.address)
      ) {
        this.#requests.settle({ ...packet, command: packet.command });
        return;
      }
    } else if (packet.kind === 'ServerCommand') {
      // Servers send from the address they name; anything else is not from them.
      if (sameEndpoint(packet.sender, from) && failover.onServerCommand(packet)) {
        this.emit('servers', failover.backups);
      }
      return;
    }
    const message = deliveryOf(packet, from, this.#transport.address, failover.server);
    if (message && this.#deliveries.isNew(message, this.#clock.now())) this.emit('message', message);
  }
}

/** Creates a user node; call `start()` to register with its server. */
export function createUserNode(options: UserNodeOptions): ChatUser {
  return new ChatUser(options);
}
