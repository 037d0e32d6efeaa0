/**
 * The reference user node: `createUserNode(options)` registers with a server (PREFERRED) and then
 * offers the user commands as promise-returning methods. A reply is matched to its request by the
 * echoed command.
 *
 * Fault discovery (Section II.iii): a request unanswered after `timeout` ms is sent again, up to
 * `retries` times. When `retries` sends in a row to the server got no datagram back at all, the
 * server is taken as failed: the node sends `PREFERRED <its preferred server>` to each of the
 * failed server's neighbours in turn (its last KNOWNSERVERS) and the first +OK becomes its server;
 * requests in flight then go there. An idle node checks on its server every `keepAlive` ms.
 * Recovery (Section II.v): a `PREFERRED` from the preferred server itself brings the node home.
 */
import { EventEmitter, on } from 'node:events';
import type { Packet, Server, ServerReply, UCommand, UserCommand, UserNode } from '../../ast.ts';
import { checkUserNodeOptions } from '../check-options.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { commandKey, decode, encode, PADDED, serverAt, userAt } from '../wire.ts';
import { RequestError } from './errors.ts';
import { followRooms } from './room-follower.ts';

/** Options of {@link createUserNode}; each is checked when the node is made. */
export interface UserNodeOptions {
  /** The user's alias: letters and digits. */
  alias: string;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default 0. */
  port?: number;
  /** The preferred server's address; `alias` if known (the server is matched by address). */
  server: Endpoint & {
    /** The server's alias, when known; replies are matched by address either way. */
    alias?: string;
  };
  /** T: milliseconds to wait for a reply before sending a request again. Default 1000. */
  timeout?: number;
  /**
   * N (at least 1): a request is sent at most N times to one server, and N sends in a row that
   * got nothing back from the server mean it has failed. Failover starts N x T after the first
   * unanswered send. Default 3.
   */
  retries?: number;
  /**
   * When nothing came from the server, or nothing was sent to it, for this many ms, send it a
   * light request (LISTROOMS): a dead server is noticed, and the server does not expire a user
   * who only listens. 0: never. Default 5000.
   */
  keepAlive?: number;
  /**
   * Rooms follow the user: after a failover or coming home, rejoin (or recreate) on the new server
   * every room this node was in (`roomRejoined`, `roomLost` events). Default false.
   */
  followRooms?: boolean;
  /** After a FIND the home server forwarded, how long to wait for another server's answer. Default 2000. */
  findWait?: number;
  /** Where datagrams go. Default: {@link udpTransport} on `host` and `port`. */
  transport?: Transport;
}

/** A chat message that reached this user node. */
export interface ChatMessage {
  /** `room`: CSEND to a room we are in; `direct`: SEND to one of our aliases. */
  kind: 'room' | 'direct';
  /** The sending user node. */
  from: UserNode;
  /** The message content. */
  text: string;
  /** The room, for room messages. */
  room?: string;
  /** The server that delivered it; absent when another user node sent it straight to us. */
  via?: Server;
}

/** What a user node reports; `user.on('message', (m) => ...)` is typed by this map. */
export interface UserEvents {
  /** A chat message arrived (also available from `messages()`). */
  message: [message: ChatMessage];
  /** The server sent its neighbours: the failover list. */
  servers: [servers: Server[]];
  /** This node moved: to a backup after its server failed, or home after the server recovered. */
  serverChanged: [to: Server, from: Server, reason: 'failover' | 'home'];
  /** The server failed and no backup took this node; requests now fail with NO_SERVER. */
  serverLost: [server: Server];
  /** `followRooms`: after a change of server, a room is ours again, joined or created anew. */
  roomRejoined: [room: string, server: Server, how: 'joined' | 'created'];
  /** `followRooms`: after a change of server, a room could not be joined or created there. */
  roomLost: [room: string, server: Server, error: Error];
  /** `followRooms`: every room has been rejoined or reported lost after a change of server. */
  roomsFollowed: [server: Server];
  /** A packet arrived and parsed: for tracing and tools. */
  packetIn: [packet: Packet, from: Endpoint];
  /** A packet is being sent. */
  packetOut: [packet: Packet, to: Endpoint];
  /** Something undecodable or unexpected arrived; the node carries on. */
  warning: [warning: Error];
  /** A socket problem the node survived. */
  error: [error: Error];
  /** `close()` was called; nothing more will come. */
  close: [];
}

/**
 * For every request method. `signal` stops waiting for the answer: the promise rejects with
 * `signal.reason` (an `AbortError` unless the signal says otherwise). A request already sent may
 * still take effect at the server.
 */
export interface RequestOptions {
  /** Stops waiting for the answer. */
  signal?: AbortSignal;
}

/** Where FIND found a user. */
export interface Location {
  /** The server hosting the user. */
  server: Server;
  /** The user node's address, to which SEND may also go directly. */
  user: UserNode;
}

interface Pending {
  /** Takes a reply to this request; returns true when the request is settled. */
  accept(reply: ServerReply): boolean;
  fail(error: RequestError): void;
  /** The node changed server: send again, to the new one, with a fresh count of tries. */
  restart(): void;
}

interface RequestMode extends RequestOptions {
  /** FIND: a -ERR from our server means "forwarded"; wait `findWait` for another server's +OK. */
  find?: boolean;
  /** Send to this server and no other: no failover, not counted by the failure detector. */
  to?: Server;
}

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
  readonly #timeout: number;
  readonly #retries: number;
  readonly #findWait: number;
  readonly #keepAlive: number;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #alias: string;
  #server: Server;
  /** The home server: where the node registered first, and returns to. */
  #preferred: Server;
  #backups: Server[] = [];
  readonly #pending = new Map<string, Pending[]>();
  /** When the current server last sent us anything. */
  #lastHeard = 0;
  /** When we last sent the current server anything. */
  #lastSent = 0;
  /** Datagrams from the current server so far: a send is answered if this grew after it. */
  #heard = 0;
  /** Sends in a row to the current server with nothing back since. */
  #unanswered = 0;
  /** Set while the node changes server; requests wait for it. */
  #switching: Promise<void> | undefined;
  #lost = false;
  #closed = false;

  /** Checks the options (a TypeError or RangeError names a wrong one); binds nothing yet. */
  constructor(options: UserNodeOptions) {
    super();
    checkUserNodeOptions(options);
    this.#alias = options.alias;
    this.#server = serverAt(options.server.alias ?? 'preferred', options.server);
    this.#preferred = this.#server;
    this.#timeout = options.timeout ?? 1000;
    this.#retries = options.retries ?? 3;
    this.#findWait = options.findWait ?? 2000;
    this.#keepAlive = options.keepAlive ?? 5000;
    this.#transport =
      options.transport ?? udpTransport({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    this.#transport.on('datagram', (data, from) => this.#receive(data, from));
    this.#transport.on('error', (error) => this.#warn('error', error));
    if (options.followRooms) followRooms(this);
  }

  /** This user node as it names itself on the wire. */
  get self(): UserNode {
    return userAt(this.#alias, this.#transport.address);
  }

  /** The server this node is registered with. */
  get server(): Server {
    return this.#server;
  }

  /** The server this node prefers (its home), whether or not it is there now. */
  get preferred(): Server {
    return this.#preferred;
  }

  /** The registered server's neighbours, as it last told us. */
  get backups(): readonly Server[] {
    return this.#backups;
  }

  /** Binds and registers with the preferred server. Resolves with that server's identity. */
  async start(options: RequestOptions = {}): Promise<Server> {
    options.signal?.throwIfAborted();
    await this.#transport.open();
    const answer = await this.#request(
      { verb: 'PREFERRED', server: this.#server },
      { ...options, to: this.#server },
    );
    this.#server = answer.sender;
    this.#preferred = answer.sender;
    this.#backups = answer.servers;
    this.#lastHeard = Date.now();
    if (this.#keepAlive > 0) {
      this.#keepAliveTimer = setInterval(() => this.#checkIn(), this.#keepAlive);
      this.#keepAliveTimer.unref();
    }
    return this.#server;
  }

  /** FIND: where `alias` is, or undefined when no server answered that it knows it. */
  async find(alias: string, options: RequestOptions = {}): Promise<Location | undefined> {
    const answer = await this.#request({ verb: 'FIND', alias }, { ...options, find: true }).catch(
      (error: RequestError) => {
        if (error.code === 'REFUSED') return undefined;
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

  /** LISTROOMS: the rooms on the server. */
  async rooms(options: RequestOptions = {}): Promise<string[]> {
    return (await this.#request({ verb: 'LISTROOMS' }, options)).messages;
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

  /** EXIT: deregisters from the server (the node stays open; `close()` ends it). */
  async exit(options: RequestOptions = {}): Promise<void> {
    await this.#request({ verb: 'EXIT' }, options);
  }

  /**
   * Incoming chat messages, as an async iterator (the same as the `message` events). It ends when
   * the node closes, and throws an `AbortError` when `signal` aborts.
   *
   * ```ts
   * for await (const m of user.messages()) console.log(`${m.from.alias}: ${m.text}`);
   * ```
   */
  async *messages(options: { signal?: AbortSignal } = {}): AsyncGenerator<ChatMessage, void, undefined> {
    if (this.#closed) return;
    const { signal } = options;
    for await (const [message] of on(this, 'message', { close: ['close'], ...(signal ? { signal } : {}) })) {
      yield message as ChatMessage;
    }
  }

  /** Stops the node: pending requests fail with CLOSED and the socket closes. Does not EXIT. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAliveTimer);
    for (const queue of this.#pending.values()) {
      for (const p of queue) p.fail(new RequestError('CLOSED', 'the user node was closed'));
    }
    this.#pending.clear();
    this.emit('close');
    await this.#transport.close();
  }

  /** `await using user = createUserNode(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #send(packet: Packet, to: Endpoint): void {
    // PREFERRED opens a conversation with a server that does not know us yet: padded so that its
    // answer fits the bytes we sent (a server never answers a stranger with more; credit.ts).
    const opening = packet.kind === 'UserCommand' && packet.command.verb === 'PREFERRED';
    this.#transport.send(encode(packet, opening ? PADDED.preferred : 0), to);
    if (sameEndpoint(to, this.#server)) this.#lastSent = Date.now();
    this.emit('packetOut', packet, to);
  }

  /**
   * Sends a command to the server and resolves with its +OK reply; -ERR rejects with REFUSED.
   * A FIND the server forwarded (-ERR "asked neighbours") waits `findWait` for another server's +OK.
   */
  #request(command: UCommand, mode: RequestMode = {}): Promise<ServerReply> {
    if (this.#closed) return Promise.reject(new RequestError('CLOSED', 'the user node was closed'));
    if (mode.signal?.aborted) return Promise.reject(mode.signal.reason);
    if (this.#lost && !mode.to) return Promise.reject(this.#noServer());
    const packet: UserCommand = { kind: 'UserCommand', sender: this.self, command };
    const key = commandKey(packet);
    return new Promise<ServerReply>((resolve, reject) => {
      let attempts = 0;
      let timer: NodeJS.Timeout | undefined;
      let refusal: ServerReply | undefined;
      let to = mode.to ?? this.#server;
      const queue = this.#pending.get(key) ?? [];
      this.#pending.set(key, queue);
      const abort = () => {
        settle();
        reject(mode.signal?.reason);
      };
      mode.signal?.addEventListener('abort', abort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        mode.signal?.removeEventListener('abort', abort);
        const i = queue.indexOf(pending);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0) this.#pending.delete(key);
      };
      const attempt = () => {
        // While the node changes server, a request waits; `restart` sends it on afterwards.
        if (this.#switching && !mode.to) return;
        if (attempts >= this.#retries && !mode.to && this.#unanswered > 0 && !this.#lost) {
          // Every try went unanswered and the server has said nothing since the last: it is
          // failed even if an earlier datagram kept the count of silent sends below N.
          this.#changeServer(() => this.#failover());
          return;
        }
        if (attempts >= this.#retries) {
          settle();
          reject(
            new RequestError(
              'TIMEOUT',
              `no reply to ${command.verb} from ${to.ip}:${to.port} after ${attempts} tries`,
            ),
          );
          return;
        }
        attempts++;
        const heardBefore = this.#heard;
        this.#send(packet, to);
        timer = setTimeout(() => {
          if (!mode.to) this.#noReplySince(heardBefore);
          attempt();
        }, this.#timeout);
      };
      const pending: Pending = {
        accept: (reply) => {
          if (mode.to && !sameEndpoint(reply.sender, mode.to)) return false;
          if (reply.status === '+OK') {
            settle();
            resolve(reply);
            return true;
          }
          if (mode.find && sameEndpoint(reply.sender, to) && refusal === undefined) {
            // Forwarded: another server may still answer.
            refusal = reply;
            clearTimeout(timer);
            timer = setTimeout(() => {
              settle();
              reject(
                new RequestError('REFUSED', `${command.verb} refused: ${reply.messages.join('; ')}`, reply),
              );
            }, this.#findWait);
            return false;
          }
          if (mode.find) return false;
          settle();
          reject(
            new RequestError(
              'REFUSED',
              `${command.verb} refused: ${reply.messages.join('; ') || '-ERR'}`,
              reply,
            ),
          );
          return true;
        },
        fail: (error) => {
          settle();
          reject(error);
        },
        restart: () => {
          if (mode.to || refusal) return;
          clearTimeout(timer);
          attempts = 0;
          to = this.#server;
          attempt();
        },
      };
      queue.push(pending);
      attempt();
    });
  }

  /** A send to the current server timed out: count it if nothing at all came back since. */
  #noReplySince(heardBefore: number): void {
    if (this.#heard > heardBefore || this.#switching || this.#lost) return;
    this.#unanswered++;
    if (this.#unanswered >= this.#retries) this.#changeServer(() => this.#failover());
  }

  /** Keep-alive: an idle node asks its server something small, so a dead server is noticed. */
  #checkIn(): void {
    if (this.#switching || this.#lost || this.#pending.size > 0) return;
    const now = Date.now();
    if (now - this.#lastHeard < this.#keepAlive && now - this.#lastSent < this.#keepAlive) return;
    this.#request({ verb: 'LISTROOMS' }).catch(() => {});
  }

  /** Runs one change of server at a time; requests in flight wait, then go to the new server. */
  #changeServer(change: () => Promise<void>): void {
    if (this.#switching || this.#closed) return;
    this.#switching = change()
      .catch((error: Error) => this.#warn('warning', error))
      .finally(() => {
        this.#switching = undefined;
        this.#unanswered = 0;
        const waiting = [...this.#pending.values()].flat();
        if (this.#lost) for (const p of waiting) p.fail(this.#noServer());
        else for (const p of waiting) p.restart();
      });
  }

  /** Section II.iii: the failed server's neighbours, in order; the first +OK takes us. */
  async #failover(): Promise<void> {
    const failed = this.#server;
    for (const backup of this.#backups) {
      if (sameEndpoint(backup, failed) || this.#closed) continue;
      try {
        const answer = await this.#request({ verb: 'PREFERRED', server: this.#preferred }, { to: backup });
        this.#moveTo(answer, failed, 'failover');
        return;
      } catch (error) {
        if ((error as RequestError).code === 'CLOSED') return;
      }
    }
    this.#lost = true;
    this.emit('serverLost', failed);
  }

  /**
   * Section II.v: our preferred server is back (perhaps at a new address); go home. PREFERRED
   * goes first and EXIT to the backup only once home has taken us: if home fails again on the
   * way, the node is still registered where it is. The EXIT is not awaited, so a backup that
   * died meanwhile does not hold up the return.
   */
  async #goHome(home: Server): Promise<void> {
    const backup = this.#server;
    const answer = await this.#request({ verb: 'PREFERRED', server: home }, { to: home });
    this.#preferred = answer.sender;
    this.#moveTo(answer, backup, 'home');
    this.#request({ verb: 'EXIT' }, { to: backup }).catch(() => undefined);
  }

  #moveTo(answer: ServerReply, from: Server, reason: 'failover' | 'home'): void {
    this.#server = answer.sender;
    this.#backups = answer.servers;
    this.#lastHeard = Date.now();
    this.emit('serverChanged', answer.sender, from, reason);
  }

  #noServer(): RequestError {
    return new RequestError(
      'NO_SERVER',
      `server ${this.#server.alias} at ${this.#server.ip}:${this.#server.port} stopped answering and no backup took this node`,
    );
  }

  #receive(data: Uint8Array, from: Endpoint): void {
    const decoded = decode(data);
    if (!decoded.ok) {
      this.#warn(
        'warning',
        new Error(`undecodable datagram from ${from.ip}:${from.port}: ${decoded.error.message}`),
      );
      return;
    }
    const packet = decoded.value;
    this.emit('packetIn', packet, from);
    if (sameEndpoint(from, this.#server)) {
      this.#heard++;
      this.#lastHeard = Date.now();
      this.#unanswered = 0;
    }
    if (packet.kind === 'ServerReply') {
      this.#onReply(packet);
      return;
    }
    if (packet.kind === 'ServerCommand') {
      // Servers send from the address they name; anything else is not from them.
      if (!sameEndpoint(packet.sender, from)) return;
      const command = packet.command;
      if (command.verb === 'KNOWNSERVERS' && sameEndpoint(packet.sender, this.#server)) {
        this.#backups = command.servers;
        this.emit('servers', this.#backups);
      } else if (
        command.verb === 'PREFERRED' &&
        sameEndpoint(command.server, packet.sender) &&
        packet.sender.alias === this.#preferred.alias &&
        !sameEndpoint(packet.sender, this.#server) &&
        !this.#lost
      ) {
        const home = packet.sender;
        this.#changeServer(() => this.#goHome(home));
      }
      return;
    }
    // Another user node talking to us directly (the seed's talk receiver).
    if (packet.command.verb === 'SEND' && sameEndpoint(packet.sender, from)) {
      this.emit('message', { kind: 'direct', from: packet.sender, text: packet.command.message });
    }
  }

  #onReply(reply: ServerReply): void {
    const echoed = reply.command;
    if (echoed.kind !== 'UserCommand') return;
    if (sameEndpoint(echoed.sender, this.#transport.address)) {
      const queue = this.#pending.get(commandKey(echoed));
      for (const pending of [...(queue ?? [])]) if (pending.accept(reply)) return;
      return;
    }
    // Someone else's command echoed to us: a delivery.
    if (echoed.command.verb === 'CSEND') {
      this.emit('message', {
        kind: 'room',
        from: echoed.sender,
        text: echoed.command.message,
        room: reply.messages[0] ?? '',
        via: reply.sender,
      });
    } else if (echoed.command.verb === 'SEND') {
      this.emit('message', {
        kind: 'direct',
        from: echoed.sender,
        text: echoed.command.message,
        via: reply.sender,
      });
    }
  }

  #warn(event: 'warning' | 'error', error: Error): void {
    if (this.listenerCount(event) > 0) this.emit(event, error);
    else process.emitWarning(error);
  }
}

/** Creates a user node; call `start()` to register with its server. */
export function createUserNode(options: UserNodeOptions): ChatUser {
  return new ChatUser(options);
}
