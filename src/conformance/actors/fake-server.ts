/**
 * The kit playing a server for a user node under test: it answers every user command +OK (a
 * PREFERRED with its neighbour list, then a KNOWNSERVERS), can fall silent as a failed server
 * does, and can call a user home with the server PREFERRED.
 */
import type { Command, Server, UserCommand, UserNode } from '../../index.ts';
import { serialize } from '../../index.ts';
import { type Address, type Probe, type Received, sameAddress } from '../probe.ts';
import { type ReplyLists, serverReply } from './server-reply.ts';

/** A kit server a user node under test talks to. */
export class FakeServer {
  readonly probe: Probe;
  readonly alias: string;
  /** Told to the user node as this server's neighbours: in the PREFERRED +OK and a KNOWNSERVERS. */
  neighbours: Server[] = [];
  /** While false, the server answers nothing: it has failed, as far as the node can tell. */
  alive = true;

  constructor(probe: Probe, alias: string) {
    this.probe = probe;
    this.alias = alias;
    probe.onReceive((r) => this.#answer(r));
  }

  get self(): Server {
    return { kind: 'Server', alias: this.alias, ...this.probe.address };
  }

  /** User commands received (answered or not), oldest first. */
  commands(verb?: UserCommand['command']['verb']): (Received & { packet: UserCommand })[] {
    return this.probe.all(
      (r) => r.packet?.kind === 'UserCommand' && (verb === undefined || r.packet.command.verb === verb),
    ) as (Received & { packet: UserCommand })[];
  }

  /** Waits for a user command (optionally of one verb) not yet taken. */
  async next(verb: UserCommand['command']['verb'] | undefined, timeout: number) {
    const r = await this.probe.next(
      (d) => d.packet?.kind === 'UserCommand' && (verb === undefined || d.packet.command.verb === verb),
      timeout,
    );
    return r as (Received & { packet: UserCommand }) | undefined;
  }

  /** Sends a ServerReply. */
  reply(status: '+OK' | '-ERR', command: Command, to: Address, lists: ReplyLists = {}): void {
    this.probe.send(serialize(serverReply(this.self, status, command, lists)), to);
  }

  /** KNOWNSERVERS with `servers` (its neighbours by default), by unicast to `to`. */
  tellServers(to: Address, servers: Server[] = this.neighbours): void {
    this.probe.send(
      serialize({ kind: 'ServerCommand', sender: this.self, command: { verb: 'KNOWNSERVERS', servers } }),
      to,
    );
  }

  /** The server PREFERRED of a recovered server, naming itself, sent to a user node. */
  callHome(to: Address): void {
    this.probe.send(
      serialize({
        kind: 'ServerCommand',
        sender: this.self,
        command: { verb: 'PREFERRED', server: this.self },
      }),
      to,
    );
  }

  /** A delivery: another node's SEND to `user`, echoed in a +OK as a server delivers it. */
  deliver(user: UserNode, from: UserNode, text: string): void {
    this.reply(
      '+OK',
      { kind: 'UserCommand', sender: from, command: { verb: 'SEND', alias: user.alias, message: text } },
      user,
    );
  }

  close(): Promise<void> {
    return this.probe.close();
  }

  #answer(r: Received): void {
    if (!this.alive || r.packet?.kind !== 'UserCommand') return;
    const packet = r.packet;
    // Replies go to the address the sender field names (Section III).
    const to = packet.sender;
    if (!sameAddress(to, r.from)) return;
    if (packet.command.verb === 'PREFERRED') {
      this.reply('+OK', packet, to, { servers: this.neighbours });
      this.tellServers(to);
      return;
    }
    this.reply('+OK', packet, to);
  }
}
