/**
 * The single entry point for every datagram a server receives: pay its credit, check its rate,
 * decode it, check where it came from against its verb's policy (verbs.ts), answer a repeat from
 * the replay cache (replay.ts) or record what the handler answers there, and hand it to the one
 * handler for its verb with the datagram passed explicitly (inbound.ts).
 */
import { createHash } from 'node:crypto';
import type { Packet, ServerCommand, ServerReply, UCommand, UserCommand } from '../../ast.ts';
import { type Endpoint, endpointKey, sameEndpoint } from '../transport.ts';
import { decode } from '../wire.ts';
import { sendAnswered } from './handlers/messaging.ts';
import type { Handler, HandlerContext } from './handlers/types.ts';
import type { Inbound } from './inbound.ts';
import type { RateLimiter } from './limits.ts';
import type { ReplayCache } from './replay.ts';
import { isRoomTraffic } from './room-relay.ts';
import { routedReply, type UserVerb, VERBS } from './verbs.ts';

export class Dispatcher {
  readonly #ctx: HandlerContext;
  readonly #replay: ReplayCache;
  readonly #rates: RateLimiter | undefined;
  /** Where the answers to each request being recorded for the replay cache go, by its datagram. */
  readonly #recording = new WeakMap<Inbound, Packet[]>();

  /** `rates` undefined: rate limiting is off. */
  constructor(ctx: HandlerContext, replay: ReplayCache, rates: RateLimiter | undefined) {
    this.#ctx = ctx;
    this.#replay = replay;
    this.#rates = rates;
  }

  /**
   * A packet is going back to the source of `cause` (outbox.ts): recorded if `cause` is a request
   * whose repeat is answered from the replay cache, even if the packet cannot go out now.
   */
  answering(packet: Packet, cause: Inbound): void {
    this.#recording.get(cause)?.push(packet);
  }

  receive(data: Uint8Array, from: Endpoint): void {
    const ctx = this.#ctx;
    // Known or not is decided on arrival, before the datagram can change it (credit.ts).
    const inbound = ctx.outbox.inbound(from, data.length);
    ctx.counters.received++;
    // Our own multicast comes back to us on every channel.
    if (sameEndpoint(from, ctx.self)) return;
    // Before any work: a flood from one address costs one map lookup per datagram.
    if (this.#rates && !this.#rates.allow(from, ctx.neighbours.isNeighbour(from), ctx.clock.now())) {
      ctx.counters.rateLimited++;
      return;
    }
    if (data.length > ctx.options.limits.datagramBytes) {
      ctx.counters.oversize++;
      return;
    }
    const decoded = decode(data);
    if (!decoded.ok) {
      ctx.counters.undecodable++;
      ctx.emit(
        'warning',
        new Error(`undecodable datagram from ${endpointKey(from)}: ${decoded.error.message}`),
      );
      return;
    }
    const packet = decoded.value;
    ctx.emit('packetIn', packet, from);
    switch (packet.kind) {
      case 'ServerReply': {
        const from = this.#fromNamedServer(packet.sender, 'a reply', inbound, data.length);
        if (from) this.#reply(packet, from);
        return;
      }
      case 'ServerCommand': {
        const from = this.#fromNamedServer(packet.sender, packet.command.verb, inbound, data.length);
        if (from) this.#serverCommand(packet, from);
        return;
      }
      case 'UserCommand':
        this.#userCommand(packet, inbound, data);
        return;
    }
  }

  /**
   * A server's datagram is taken from the address its Server field names, or from another port of
   * that address's host: an implementation may send from a socket of its own for sending, or from
   * its channel socket. It then counts as from the named address, whose credit and byte budget
   * pay for what it makes us send, and every answer goes there. Never one naming us: our own
   * multicast comes back from our own address, and nobody else speaks for us.
   */
  #fromNamedServer(named: Endpoint, what: string, inbound: Inbound, bytes: number): Inbound | undefined {
    const ctx = this.#ctx;
    if (sameEndpoint(named, inbound.from)) return inbound;
    if (named.ip === inbound.from.ip && !sameEndpoint(named, ctx.self))
      return ctx.outbox.inboundAs(inbound, named, bytes);
    ctx.counters.spoofed++;
    ctx.emit(
      'warning',
      new Error(`${what} naming ${endpointKey(named)} came from ${endpointKey(inbound.from)}`),
    );
    return undefined;
  }

  #reply(reply: ServerReply, inbound: Inbound): void {
    const echoed = reply.command;
    // What became of a SEND we passed on: echoes the user's SEND, answered to us as its relay.
    if (echoed.kind === 'UserCommand' && echoed.command.verb === 'SEND') {
      sendAnswered(this.#ctx, { ...reply, command: { ...echoed, command: echoed.command } }, inbound);
      return;
    }
    // A room event or listing from another server (room-relay.ts).
    if (isRoomTraffic(reply)) {
      this.#ctx.roomRelay.receive(reply, inbound);
      return;
    }
    if (!sameEndpoint(reply.command.sender, this.#ctx.self)) return;
    const verb = routedReply(reply);
    if (verb === undefined) return;
    const handle = VERBS.replies[verb] as Handler<ServerReply>;
    handle(this.#ctx, reply, inbound);
  }

  #serverCommand(packet: ServerCommand, inbound: Inbound): void {
    const verb = packet.command.verb;
    const handle = VERBS.server[verb].handle as Handler<ServerCommand>;
    handle(this.#ctx, packet, inbound);
  }

  #userCommand(packet: UserCommand, inbound: Inbound, data: Uint8Array): void {
    const ctx = this.#ctx;
    const verb = packet.command.verb;
    const entry = VERBS.user[verb] as UserVerb<UCommand['verb']>;
    const from = inbound.from;
    if (!sameEndpoint(packet.sender, from)) {
      // Not from the user itself: only a neighbour may pass on a command, and only one that travels.
      if (entry.relayed && ctx.neighbours.isNeighbour(from)) {
        entry.relayed(ctx, packet, inbound);
        return;
      }
      ctx.counters.spoofed++;
      ctx.emit(
        'warning',
        new Error(`${verb} from ${packet.sender.alias} came from ${endpointKey(from)}, not its address`),
      );
      return;
    }
    let recorded: Packet[] | undefined;
    if (entry.repeat === 'register') {
      // A registration starts afresh, but one that changes nothing (a user node checking that we
      // live) must not make a retry of its last SEND look new.
      if (
        packet.command.verb !== 'PREFERRED' ||
        !ctx.registry.unchangedBy(packet.sender, packet.command.server)
      )
        this.#replay.forget(from);
    } else if (entry.repeat !== 'query') {
      // The request's digest, not its text, is remembered: an entry's size does not grow with it.
      const request = createHash('sha256').update(data).digest('base64');
      const repeated = this.#replay.repeatOf(from, request, ctx.clock.now());
      if (repeated) {
        ctx.counters.repeats++;
        for (const answer of repeated) ctx.outbox.send(answer, from, { cause: inbound });
        return;
      }
      recorded = this.#replay.remember(from, request, ctx.clock.now(), entry.repeat === 'change');
      this.#recording.set(inbound, recorded);
    }
    if (entry.from === 'user') {
      entry.handle(ctx, packet, inbound);
      return;
    }
    const registration = ctx.registry.at(from);
    if (
      !registration ||
      (registration.user.alias !== packet.sender.alias && !registration.aliases.has(packet.sender.alias))
    ) {
      ctx.counters.unregistered++;
      ctx.outbox.reply(packet, '-ERR', {
        cause: inbound,
        messages: ['not registered here: send PREFERRED first'],
      });
      return;
    }
    ctx.registry.heard(registration, ctx.clock.now());
    // A user whose first +OK could not list every neighbour (registry.ts `owed`) gets the rest.
    if (ctx.registry.payOwed(registration)) ctx.gossip.tellUser(registration.user);
    const registered = { ...inbound, registration };
    if (recorded) this.#recording.set(registered, recorded);
    entry.handle(ctx, packet, registered);
  }
}
