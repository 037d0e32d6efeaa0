/**
 * The reference user node: `createUserNode(options)` registers with a server (PREFERRED) and then
 * offers the user commands as promise-returning methods. Every request is retried after `timeout`
 * up to `retries` times; a reply is matched to its request by the echoed command.
 */
import { EventEmitter } from 'node:events';
import type { Packet, Server, ServerReply, UCommand, UserCommand, UserNode } from '../../ast.ts';
import { type Endpoint, sameEndpoint, type Transport } from '../transport.ts';
import { udpTransport } from '../udp.ts';
import { commandKey, decode, encode, serverAt, userAt } from '../wire.ts';
import { RequestError } from './errors.ts';

export interface UserNodeOptions {
  alias: string;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default 0. */
  port?: number;
  /** The preferred server's address; `alias` if known (the server is matched by address). */
  server: Endpoint & { alias?: string };
  /** Milliseconds to wait for a reply before sending the request again. Default 1000. */
  timeout?: number;
  /** Times a request is sent again before it fails. Default 3. */
  retries?: number;
  /** After a FIND the home server forwarded, how long to wait for another server's answer. Default 2000. */
  findWait?: number;
  transport?: Transport;
}

/** A chat message that reached this user node. */
export interface ChatMessage {
  /** `room`: CSEND to a room we are in; `direct`: SEND to one of our aliases. */
  kind: 'room' | 'direct';
  from: UserNode;
  text: string;
  /** The room, for room messages. */
  room?: string;
  /** The server that delivered it; absent when another user node sent it straight to us. */
  via?: Server;
}

export interface UserEvents {
  message: [message: ChatMessage];
  /** The server sent its neighbours: the failover list. */
  servers: [servers: Server[]];
  packetIn: [packet: Packet, from: Endpoint];
  packetOut: [packet: Packet, to: Endpoint];
  warning: [warning: Error];
  error: [error: Error];
}

/** Where FIND found a user. */
export interface Location {
  server: Server;
  user: UserNode;
}

interface Pending {
  /** Takes a reply to this request; returns true when the request is settled. */
  accept(reply: ServerReply): boolean;
  fail(error: RequestError): void;
}

export class ChatUser extends EventEmitter<UserEvents> {
  readonly #transport: Transport;
  readonly #timeout: number;
  readonly #retries: number;
  readonly #findWait: number;
  #alias: string;
  #server: Server;
  #backups: Server[] = [];
  readonly #pending = new Map<string, Pending[]>();
  #closed = false;

  constructor(options: UserNodeOptions) {
    super();
    this.#alias = options.alias;
    this.#server = serverAt(options.server.alias ?? 'preferred', options.server);
    this.#timeout = options.timeout ?? 1000;
    this.#retries = options.retries ?? 3;
    this.#findWait = options.findWait ?? 2000;
    this.#transport =
      options.transport ?? udpTransport({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    this.#transport.on('datagram', (data, from) => this.#receive(data, from));
    this.#transport.on('error', (error) => this.#warn('error', error));
  }

  /** This user node as it names itself on the wire. */
  get self(): UserNode {
    return userAt(this.#alias, this.#transport.address);
  }

  /** The server this node is registered with. */
  get server(): Server {
    return this.#server;
  }

  /** The registered server's neighbours, as it last told us. */
  get backups(): readonly Server[] {
    return this.#backups;
  }

  /** Binds and registers with the preferred server. Resolves with that server's identity. */
  async start(): Promise<Server> {
    await this.#transport.open();
    const answer = await this.#request({ verb: 'PREFERRED', server: this.#server });
    this.#server = answer.sender;
    this.#backups = answer.servers;
    return this.#server;
  }

  /** FIND: where `alias` is, or undefined when no server answered that it knows it. */
  async find(alias: string): Promise<Location | undefined> {
    const answer = await this.#request({ verb: 'FIND', alias }, { find: true }).catch(
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
  async createRoom(room: string): Promise<void> {
    await this.#request({ verb: 'CREATEROOM', room });
  }

  /** JOINROOM: joins a room; it becomes the room `say` talks to. */
  async join(room: string): Promise<void> {
    await this.#request({ verb: 'JOINROOM', room });
  }

  /** LEAVEROOM. */
  async leave(room: string): Promise<void> {
    await this.#request({ verb: 'LEAVEROOM', room });
  }

  /** ULIST: a room's members. */
  async who(room: string): Promise<UserNode[]> {
    return (await this.#request({ verb: 'ULIST', room })).users;
  }

  /** LISTROOMS: the rooms on the server. */
  async rooms(): Promise<string[]> {
    return (await this.#request({ verb: 'LISTROOMS' })).messages;
  }

  /** CSEND: says something in the current room. */
  async say(text: string): Promise<void> {
    await this.#request({ verb: 'CSEND', message: text });
  }

  /** SEND: a direct message to an alias, through the server. */
  async send(alias: string, text: string): Promise<void> {
    await this.#request({ verb: 'SEND', alias, message: text });
  }

  /** SEND straight to another user node's address, with no server in the path (no reply). */
  sendDirect(to: UserNode, text: string): void {
    this.#send(
      { kind: 'UserCommand', sender: this.self, command: { verb: 'SEND', alias: to.alias, message: text } },
      to,
    );
  }

  /** LIST: every user the server knows. */
  async list(): Promise<UserNode[]> {
    return (await this.#request({ verb: 'LIST' })).users;
  }

  /** SETALIAS: renames this user node. */
  async setAlias(alias: string): Promise<void> {
    await this.#request({ verb: 'SETALIAS', user: userAt(alias, this.#transport.address) });
    this.#alias = alias;
  }

  /** ALIAS: adds another alias that FIND and SEND resolve to this node. */
  async addAlias(alias: string): Promise<void> {
    await this.#request({ verb: 'ALIAS', user: userAt(alias, this.#transport.address) });
  }

  /** REMOVE: drops an alias added with `addAlias`. */
  async removeAlias(alias: string): Promise<void> {
    await this.#request({ verb: 'REMOVE', alias });
  }

  /** EXIT: deregisters from the server (the node stays open; `close()` ends it). */
  async exit(): Promise<void> {
    await this.#request({ verb: 'EXIT' });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const queue of this.#pending.values()) {
      for (const p of queue) p.fail(new RequestError('CLOSED', 'the user node was closed'));
    }
    this.#pending.clear();
    await this.#transport.close();
  }

  #send(packet: Packet, to: Endpoint): void {
    this.#transport.send(encode(packet), to);
    this.emit('packetOut', packet, to);
  }

  /**
   * Sends a command to the server and resolves with its +OK reply; -ERR rejects with REFUSED.
   * A FIND the server forwarded (-ERR "asked neighbours") waits `findWait` for another server's +OK.
   */
  #request(command: UCommand, mode: { find?: boolean } = {}): Promise<ServerReply> {
    if (this.#closed) return Promise.reject(new RequestError('CLOSED', 'the user node was closed'));
    const packet: UserCommand = { kind: 'UserCommand', sender: this.self, command };
    const key = commandKey(packet);
    const to = this.#server;
    return new Promise<ServerReply>((resolve, reject) => {
      let attempts = 0;
      let timer: NodeJS.Timeout | undefined;
      let refusal: ServerReply | undefined;
      const queue = this.#pending.get(key) ?? [];
      this.#pending.set(key, queue);
      const settle = () => {
        clearTimeout(timer);
        const i = queue.indexOf(pending);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0) this.#pending.delete(key);
      };
      const attempt = () => {
        if (attempts > this.#retries) {
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
        this.#send(packet, to);
        timer = setTimeout(attempt, this.#timeout);
      };
      const pending: Pending = {
        accept: (reply) => {
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
          clearTimeout(timer);
          reject(error);
        },
      };
      queue.push(pending);
      attempt();
    });
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
    if (packet.kind === 'ServerReply') {
      this.#onReply(packet);
      return;
    }
    if (packet.kind === 'ServerCommand') {
      if (packet.command.verb === 'KNOWNSERVERS' && sameEndpoint(packet.sender, this.#server)) {
        this.#backups = packet.command.servers;
        this.emit('servers', this.#backups);
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
