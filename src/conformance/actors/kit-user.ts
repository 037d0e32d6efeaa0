/** The kit acting as a user node: builds UserCommands, sends them, and matches the server's replies. */
import type { ServerReply, UCommand, UserCommand, UserNode } from '../../index.ts';
import { safeParse, serialize } from '../../index.ts';
import { type Address, type Probe, type Received, sameAddress } from '../probe.ts';

/** How long to wait for each reply, and how often to send a request at most. */
export interface RequestTiming {
  wait: number;
  tries: number;
}

/**
 * What a padded retry is padded to: room for a server's answer to a new address to list all its
 * neighbours at once (the size of `PADDED.preferred` in src/node/wire.ts, which the kit does not
 * import). The reference user node never pads.
 */
const PADDED_BYTES = 1200;

/** How long a kit user waits for the answer to its closing EXIT, in ms. */
const EXIT_WAIT = 250;

/** A received ServerReply, or undefined. */
export function replyOf(r: Received | undefined): ServerReply | undefined {
  return r?.packet?.kind === 'ServerReply' ? r.packet : undefined;
}

/** A kit user node with its own socket, talking to the server under test. */
export class KitUser {
  readonly probe: Probe;
  readonly alias: string;
  readonly target: Address;
  readonly timing: RequestTiming;
  /**
   * The aliases it has spoken to the server under (its own, one a raw datagram named, one it took
   * with SETALIAS): on close it says EXIT under each, so it leaves nothing registered.
   */
  readonly #spokenAs = new Set<string>();

  constructor(probe: Probe, alias: string, target: Address, timing: RequestTiming) {
    this.probe = probe;
    this.alias = alias;
    this.target = target;
    this.timing = timing;
  }

  /** This node as a UserNode: its alias and its socket's address. */
  get node(): UserNode {
    return { kind: 'UserNode', alias: this.alias, ...this.probe.address };
  }

  packet(command: UCommand, alias = this.alias): UserCommand {
    return { kind: 'UserCommand', sender: { ...this.node, alias }, command };
  }

  /** The canonical text of a command from this node. */
  text(command: UCommand): string {
    return serialize(this.packet(command));
  }

  /** Sends a command (or raw text or bytes) to the server, once. */
  send(command: UCommand | string | Uint8Array, to: Address = this.target): void {
    if (sameAddress(to, this.target)) this.#noteAliases(command);
    this.probe.send(
      typeof command === 'string' || command instanceof Uint8Array ? command : this.text(command),
      to,
    );
  }

  /** Matches a ServerReply from `from` echoing one of this node's commands with `verb`. */
  isReplyTo(verb: UCommand['verb'], from: Address = this.target): (r: Received) => boolean {
    return (r) => {
      const reply = replyOf(r);
      return (
        reply !== undefined &&
        sameAddress(r.from, from) &&
        reply.command.kind === 'UserCommand' &&
        reply.command.sender.port === this.probe.address.port &&
        reply.command.sender.ip === this.probe.address.ip &&
        reply.command.command.verb === verb
      );
    };
  }

  /**
   * Sends the request and waits for the server's reply to it, sending it again after each
   * `wait` with no reply, `tries` times at most (a reply may be withheld from a new address until
   * it has sent enough bytes). Undefined when no reply came.
   */
  async request(
    command: UCommand | string,
    verb: UCommand['verb'] = typeof command === 'string' ? 'LIST' : command.verb,
    timing: Partial<RequestTiming> & { firstWait?: number; padRetries?: boolean } = {},
  ): Promise<ServerReply | undefined> {
    const { wait, tries } = { ...this.timing, ...timing };
    const text = typeof command === 'string' ? command : this.text(command);
    for (let attempt = 0; attempt < tries; attempt++) {
      // Padding (trailing spaces) pays at once for an answer longer than three times the request.
      this.send(attempt > 0 && timing.padRetries ? text.padEnd(PADDED_BYTES, ' ') : text);
      const reply = replyOf(
        await this.probe.next(this.isReplyTo(verb), attempt === 0 ? (timing.firstWait ?? wait) : wait),
      );
      if (reply) return reply;
    }
    return undefined;
  }

  /** Registers with PREFERRED naming `preferred` (by default the server under test itself). */
  register(preferred?: { alias: string; ip: string; port: number }): Promise<ServerReply | undefined> {
    const server = preferred ?? { alias: 'preferred', ...this.target };
    // Unpadded first, as the specification writes it and the reference user node sends it; padded
    // on a retry, for a server that withholds an answer longer than three times the request from a
    // new address (the reference server answers at once, listing only the neighbours paid for).
    return this.request({ verb: 'PREFERRED', server: { kind: 'Server', ...server } }, 'PREFERRED', {
      firstWait: Math.min(this.timing.wait, 200),
      padRetries: true,
    });
  }

  /**
   * The neighbours the server tells this node, once registered: a first +OK to an unpadded
   * PREFERRED may list only those its bytes paid for, so PREFERRED is asked again (a server
   * answers a user it knows in full) and both lists are joined.
   */
  async failoverList(first: ServerReply): Promise<ServerReply['servers']> {
    const again = await this.register();
    return [...first.servers, ...(again?.servers ?? [])];
  }

  /** Waits for a delivery: a +OK from the server echoing another node's SEND or CSEND. */
  async delivery(verb: 'SEND' | 'CSEND', timeout: number, from: Address = this.target) {
    const r = await this.probe.next((d) => {
      const reply = replyOf(d);
      return (
        reply !== undefined &&
        sameAddress(d.from, from) &&
        reply.command.kind === 'UserCommand' &&
        reply.command.sender.port !== this.probe.address.port &&
        reply.command.command.verb === verb
      );
    }, timeout);
    return replyOf(r);
  }

  /**
   * EXIT (once it has spoken to the server), so that the run leaves no user registered, then
   * closes the socket. The answer is waited for briefly, so the server has taken the EXIT before
   * the run ends; a server that does not answer delays the close by at most that wait.
   */
  async close(): Promise<void> {
    const aliases = [...this.#spokenAs];
    this.#spokenAs.clear();
    for (const alias of aliases) {
      const exit = serialize(this.packet({ verb: 'EXIT' }, alias));
      await this.request(exit, 'EXIT', { tries: 1, wait: EXIT_WAIT });
    }
    await this.probe.close();
  }

  #noteAliases(sent: UCommand | string | Uint8Array): void {
    const parsed = typeof sent === 'object' && !(sent instanceof Uint8Array) ? undefined : safeParse(sent);
    const packet = parsed ? (parsed.ok ? parsed.value : undefined) : this.packet(sent as UCommand);
    if (packet?.kind !== 'UserCommand') return;
    this.#spokenAs.add(packet.sender.alias);
    if (packet.command.verb === 'SETALIAS') this.#spokenAs.add(packet.command.user.alias);
  }
}
