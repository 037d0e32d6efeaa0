/**
 * Section II.ii, both sides of JOINCHANNEL. Inviting: send JOINCHANNEL to a server and, on its
 * +OK, join the channel too. Invited: join the channel and answer +OK, or -ERR with the reason.
 * Joined channels are saved with the state.
 */
import type { JoinChannelCommand, ServerCommand, ServerReply, Status } from '../../ast.ts';
import { isMulticast } from '../../values.ts';
import { abortable } from '../abort.ts';
import { PendingReplies } from '../pending-replies.ts';
import { type Endpoint, endpointKey, sameEndpoint, type Transport } from '../transport.ts';
import type { ServerContext } from './context.ts';
import type { Inbound } from './inbound.ts';

export type JoinChannelPacket = ServerCommand & { command: JoinChannelCommand };
export type JoinChannelReply = ServerReply & { command: JoinChannelPacket };

/** An invitation is matched to its answer by the invited server and the channel. */
function inviteKey(server: Endpoint, channel: Endpoint): string {
  return `${endpointKey(server)} ${endpointKey(channel)}`;
}

export class Channels {
  readonly #ctx: ServerContext;
  readonly #transport: Transport;
  readonly #save: () => void;
  readonly #answers: PendingReplies<JoinChannelReply>;

  /** `save` writes the state file, which lists the channels joined. */
  constructor(ctx: ServerContext, transport: Transport, save: () => void) {
    this.#ctx = ctx;
    this.#transport = transport;
    this.#save = save;
    this.#answers = new PendingReplies(ctx.clock);
  }

  /** Starts listening on another multicast channel, and saves it. */
  async join(channel: Endpoint): Promise<void> {
    await this.#transport.join(channel);
    this.#changed();
  }

  /** Saves the channels joined, and says so. */
  #changed(): void {
    this.#save();
    this.#ctx.emit('channelsChanged', [...this.#transport.channels]);
  }

  /**
   * Invites `server` onto `channel`; on its +OK this server joins too. Resolves with the answer's
   * status; rejects when no answer comes within `timeout` ms, or with `signal.reason`.
   */
  async invite(
    server: Endpoint,
    channel: Endpoint,
    options: { timeout: number; signal?: AbortSignal | undefined },
  ): Promise<Status> {
    const { timeout, signal } = options;
    signal?.throwIfAborted();
    const ctx = this.#ctx;
    const key = inviteKey(server, channel);
    const answer = this.#answers.wait(key, timeout);
    ctx.outbox.send(
      {
        kind: 'ServerCommand',
        sender: ctx.self,
        command: { verb: 'JOINCHANNEL', ip: channel.ip, port: channel.port },
      },
      server,
    );
    const received = await abortable(answer, signal);
    if (!received) throw new Error(`no answer to JOINCHANNEL from ${key}`);
    if (received.status === '+OK') await this.join(channel);
    return received.status;
  }

  /** The answer to one of our invitations. */
  onReply(reply: JoinChannelReply): void {
    const { ip, port } = reply.command.command;
    this.#answers.settle(inviteKey(reply.sender, { ip, port }), reply);
  }

  /**
   * JOINCHANNEL from another server: join the channel and say so. -ERR, with the reason, from a
   * server that is not a neighbour (an invitation is a neighbour's), for an address that is not
   * multicast, a group that reaches beyond a channel (broadcastScope), port 0, and beyond
   * `limits.channels`: every channel costs a socket, a share of every gossip round and a line in
   * the state file.
   */
  onInvite(packet: JoinChannelPacket, inbound: Inbound): void {
    const ctx = this.#ctx;
    const refusal = this.#refusal(packet, inbound);
    if (refusal) {
      ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [refusal] });
      return;
    }
    const channel = { ip: packet.command.ip, port: packet.command.port };
    this.#accept(channel).then(
      () => ctx.outbox.reply(packet, '+OK', { cause: inbound }),
      (error: Error) =>
        ctx.outbox.reply(packet, '-ERR', { cause: inbound, messages: [`cannot join: ${error.message}`] }),
    );
  }

  /**
   * Joins the channel invited onto; with `leaveOnInvite`, leaves every other channel (Section
   * II.ii: "the option to continue listening on the original channel or disconnecting from it").
   * The state file then lists the new channel alone.
   */
  async #accept(channel: Endpoint): Promise<void> {
    await this.#transport.join(channel);
    if (this.#ctx.options.leaveOnInvite) {
      for (const other of [...this.#transport.channels])
        if (!sameEndpoint(other, channel)) await this.#transport.leave(other);
    }
    this.#changed();
  }

  stop(): void {
    this.#answers.cancelAll();
  }

  #refusal(packet: JoinChannelPacket, inbound: Inbound): string | undefined {
    const ctx = this.#ctx;
    const { ip, port } = packet.command;
    if (!ctx.neighbours.isNeighbour(inbound.from)) return 'JOINCHANNEL is taken only from a neighbour server';
    const unfit = channelRefusal({ ip, port });
    if (unfit) return unfit;
    const joined = this.#transport.channels;
    if (joined.some((c) => sameEndpoint(c, { ip, port }))) return undefined;
    if (joined.length >= ctx.options.limits.channels) {
      ctx.counters.overLimit++;
      return `this server joins at most ${ctx.options.limits.channels} channels`;
    }
    return undefined;
  }
}

/**
 * Why `channel` cannot be a channel at all, or undefined: JOINCHANNEL's checks of the address
 * itself, which a channel named in a state file must pass too.
 */
export function channelRefusal(channel: Endpoint): string | undefined {
  const { ip, port } = channel;
  if (!isMulticast(ip)) return `${ip} is not a multicast address (224.0.0.0/4)`;
  const scope = broadcastScope(ip);
  if (scope) return `${ip} is ${scope}, not a channel`;
  if (port === 0) return 'port 0 is not a channel';
  return undefined;
}

/**
 * Why joining `ip` would put a channel on a group every host hears, or undefined. 224.0.0.0/24 is
 * the Local Network Control Block (RFC 5771): 224.0.0.1 is every host on the link, the rest
 * belong to routing protocols. 239.255.255.255, the last address of the IPv4 Local Scope
 * (RFC 2365), is treated as that scope's broadcast by some stacks and firewalls.
 */
export function broadcastScope(ip: string): string | undefined {
  if (ip.startsWith('224.0.0.')) return 'in the Local Network Control Block (224.0.0.0/24)';
  if (ip === '239.255.255.255') return 'the broadcast address of the IPv4 Local Scope';
  return undefined;
}
