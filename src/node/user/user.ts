/**
 * The reference user node: `createUserNode(options)` registers with a server (PREFERRED) and then
 * offers the user commands as promise-returning methods. This file is the public API and the
 * receive path; the session (session.ts) decides where requests go and when they wait, go on or
 * fail: fault discovery and failover (Section II.iii), coming home (Section II.v). A reply is
 * matched to its request by the echoed command (request.ts).
 */
import { EventEmitter } from 'node:events';
import type { Packet, Server, UserNode } from '../../ast.ts';
import { isRoomName } from '../../values.ts';
import type { Clock } from '../clock.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { reportUnheard } from '../unheard.ts';
import { decode, encode, serverAt, userAt } from '../wire.ts';
import { deliveryOf, roomNoticeOf } from './deliveries.ts';
import { RecentDeliveries, RecentNotices } from './duplicates.ts';
import type { RequestError } from './errors.ts';
import type { ChatMessage, Location, RequestOptions, SendResult, UserEvents } from './events.ts';
import { bufferedMessages } from './message-queue.ts';
import { resolveUserNodeOptions, type UserNodeOptions } from './options.ts';
import { followRooms } from './room-follower.ts';
import { Session } from './session.ts';
import type { SessionStateName } from './session-table.ts';

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
  readonly #session: Session;
  readonly #messageBuffer: number;
  readonly #deliveries: RecentDeliveries;
  readonly #notices: RecentNotices;
  readonly #clock: Clock;
  #alias: string;

  /** Checks the options (a TypeError or RangeError names a wrong one); binds nothing yet. */
  constructor(options: UserNodeOptions) {
    super();
    const o = resolveUserNodeOptions(options);
    this.#alias = o.alias;
    this.#messageBuffer = o.messageBuffer;
    this.#clock = o.clock;
    this.#deliveries = new RecentDeliveries(o.duplicateWindow);
    this.#notices = new RecentNotices(o.duplicateWindow);
    this.#session = new Session(
      {
        clock: o.clock,
        timeout: o.timeout,
        retries: o.retries,
        findWait: o.findWait,
        keepAlive: o.keepAlive,
        events: this,
        self: () => this.self,
        send: (packet, to) => this.#send(packet, to),
      },
      serverAt(o.server.alias ?? 'preferred', o.server),
    );
    this.#transport = o.transport ?? udpTransport({ host: o.host, port: o.port });
    this.#transport.on('datagram', (data, from) => this.#receive(data, from));
    this.#transport.on('error', (error) => reportUnheard(this, 'error', error));
    if (o.followRooms) followRooms(this);
  }

  /** This user node as it names itself on the wire. */
  get self(): UserNode {
    return userAt(this.#alias, this.#transport.address);
  }

  /** Where the session is: registered, checking its server, failing over, lost ... */
  get state(): SessionStateName {
    return this.#session.state;
  }

  /** The server this node is registered with. */
  get server(): Server {
    return this.#session.server;
  }

  /** The server this node prefers (its home), whether or not it is there now. */
  get preferred(): Server {
    return this.#session.preferred;
  }

  /**
   * The round trip, in ms, of the latest request a server answered (+OK or -ERR; the keep-alive's
   * PREFERRED too), timed from the try it answered; undefined before any answer.
   */
  get lag(): number | undefined {
    return this.#session.lag;
  }

  /** The registered server's neighbours, as it last told us. */
  get backups(): readonly Server[] {
    return this.#session.backups;
  }

  /** Binds and registers with the preferred server. Resolves with that server's identity. */
  async start(options: RequestOptions = {}): Promise<Server> {
    options.signal?.throwIfAborted();
    await this.#transport.open();
    return this.#session.register(options);
  }

  /** FIND: where `alias` is, or undefined when no server answered that it knows it. */
  async find(alias: string, options: RequestOptions = {}): Promise<Location | undefined> {
    const answer = await this.#session
      .request({ verb: 'FIND', alias }, { ...options, find: true })
      .catch((error: RequestError) => {
        // -ERR, or no answer from a server that answers PREFERRED: a server that cannot answer
        // a FIND may pass it on and say nothing (Section II.vi).
        if (error.code === 'REFUSED' || error.code === 'TIMEOUT') return undefined;
        throw error;
      });
    const server = answer?.servers[0];
    const user = answer?.users[0];
    return server && user ? { server, user } : undefined;
  }

  /** CREATEROOM: creates a room on the server and joins it. */
  async createRoom(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'CREATEROOM', room }, options);
  }

  /** JOINROOM: joins a room; it becomes the room `say` talks to. */
  async join(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'JOINROOM', room }, options);
  }

  /** LEAVEROOM. */
  async leave(room: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'LEAVEROOM', room }, options);
  }

  /** ULIST: a room's members. */
  async who(room: string, options: RequestOptions = {}): Promise<UserNode[]> {
    return (await this.#session.request({ verb: 'ULIST', room }, options)).users;
  }

  /**
   * LISTROOMS: the rooms on the server. A server cuts a list too long for one datagram and says
   * so in a last Message that is not a room name; only the room names are returned.
   */
  async rooms(options: RequestOptions = {}): Promise<string[]> {
    const answer = await this.#session.request({ verb: 'LISTROOMS' }, options);
    return answer.messages.filter(isRoomName);
  }

  /** CSEND: says something in the current room. */
  async say(text: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'CSEND', message: text }, options);
  }

  /**
   * SEND: a direct message to an alias, through the server. Resolves with the recipient's server
   * once it took the message, or with none when that is not confirmed; rejects with REFUSED when
   * nobody has the alias.
   */
  async send(alias: string, text: string, options: RequestOptions = {}): Promise<SendResult> {
    const reply = await this.#session.request({ verb: 'SEND', alias, message: text }, options);
    return { server: reply.servers[0], note: reply.messages.join('; ') };
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
    return (await this.#session.request({ verb: 'LIST' }, options)).users;
  }

  /** SETALIAS: renames this user node. */
  async setAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'SETALIAS', user: userAt(alias, this.#transport.address) }, options);
    this.#alias = alias;
  }

  /** ALIAS: adds another alias that FIND and SEND resolve to this node. */
  async addAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'ALIAS', user: userAt(alias, this.#transport.address) }, options);
  }

  /** REMOVE: drops an alias added with `addAlias`. */
  async removeAlias(alias: string, options: RequestOptions = {}): Promise<void> {
    await this.#session.request({ verb: 'REMOVE', alias }, options);
  }

  /**
   * EXIT: deregisters from the server (the node stays open; `close()` ends it, `start()`
   * registers again). From then on, answered or not, the node no longer checks on the server.
   */
  async exit(options: RequestOptions = {}): Promise<void> {
    try {
      await this.#session.request({ verb: 'EXIT' }, options);
    } finally {
      this.#session.exited();
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
    return bufferedMessages(this, () => this.state === 'closed', this.#messageBuffer, options.signal);
  }

  /** Stops the node: pending requests fail with CLOSED and the socket closes. Does not EXIT. */
  async close(): Promise<void> {
    if (!this.#session.close()) return;
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
    this.#session.sentTo(to);
    this.emit('packetOut', packet, to);
  }

  #receive(data: Uint8Array, source: Endpoint): void {
    const decoded = decode(data);
    if (!decoded.ok) {
      const reason = `undecodable datagram from ${source.ip}:${source.port}: ${decoded.error.message}`;
      reportUnheard(this, 'warning', new Error(reason));
      return;
    }
    const packet = decoded.value;
    this.emit('packetIn', packet, source);
    const from = onServerHost(packet, source, this.#session.server);
    this.#session.heardFrom(from);
    if (packet.kind === 'ServerReply') {
      // A server answers from the address it names, and only our own server delivers to us.
      if (!sameEndpoint(packet.sender, from)) return;
      if (
        packet.command.kind === 'UserCommand' &&
        sameEndpoint(packet.command.sender, this.#transport.address)
      ) {
        this.#session.settle({ ...packet, command: packet.command });
        return;
      }
    } else if (packet.kind === 'ServerCommand') {
      // Servers send from the address they name; anything else is not from them.
      if (sameEndpoint(packet.sender, from)) this.#session.serverCommand(packet);
      return;
    }
    const message = deliveryOf(packet, from, this.#transport.address, this.#session.server);
    if (message && this.#deliveries.isNew(message, this.#clock.now())) this.emit('message', message);
    const notice = roomNoticeOf(packet, from, this.#transport.address, this.#session.server);
    if (notice && this.#notices.isNew(notice, this.#clock.now())) this.emit('roomNotice', notice);
  }
}

/**
 * Where a datagram counts as from: a server's packet that came from another port of the host our
 * server is on counts as from the address it names on that host. A host is one trust domain (as
 * the server holds for its neighbours, dispatch.ts), and other implementations answer from a
 * socket of their own for sending. From any other host, a datagram counts only as from its source.
 */
function onServerHost(packet: Packet, from: Endpoint, server: Server): Endpoint {
  if (packet.kind === 'UserCommand' || from.ip !== server.ip) return from;
  return packet.sender.ip === from.ip ? packet.sender : from;
}

/** Creates a user node; call `start()` to register with its server. */
export function createUserNode(options: UserNodeOptions): ChatUser {
  return new ChatUser(options);
}
