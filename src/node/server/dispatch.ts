/**
 * The single entry point for every datagram a server receives: decode, check where it came from,
 * and hand it to the one handler for its command.
 */
import type { ServerCommand, ServerReply, UCommand, UserCommand } from '../../ast.ts';
import { type Endpoint, endpointKey, sameEndpoint } from '../transport.ts';
import { decode } from '../wire.ts';
import type { ServerContext } from './context.ts';
import type { Discovery } from './discovery.ts';
import { handleFind } from './find.ts';
import { serverHandlers, userHandlers } from './handlers/index.ts';
import { relayedSend } from './handlers/messaging.ts';
import { userPreferred } from './handlers/preferred.ts';
import type { FindPacket, ServerHandler, UserHandler, UserPacket } from './handlers/types.ts';
import type { RateLimiter } from './limits.ts';
import type { ReplayCache } from './replay.ts';

/** What a server has seen and done since it started; read `server.counters`, or SIGUSR1 in the CLI. */
export interface ServerCounters {
  /** Datagrams received, of any content. */
  received: number;
  /** Datagrams that were not a packet (ProtocolError), dropped. */
  undecodable: number;
  /** Datagrams whose claimed sender does not match their source address. */
  spoofed: number;
  /** User commands from senders that have not sent PREFERRED. */
  unregistered: number;
  /** Requests repeated within the replay window: answered again, not acted on again. */
  repeats: number;
  /** Datagrams dropped because their source was over its rate budget. */
  rateLimited: number;
  /** Requests refused, or gossip entries and FINDs dropped, at one of the server's limits. */
  overLimit: number;
  /** Datagrams not sent because the unknown source that caused them had too little credit. */
  withheld: number;
  /** Answers to a DISCOVER this server did not send to their sender: ignored. */
  unsolicited: number;
  /** Datagrams sent. */
  sent: number;
}

export interface DispatchHooks {
  discovery: Discovery;
  /** Replies to our own commands (DISCOVER, JOINCHANNEL, PREFERRED). */
  onOwnReply(reply: ServerReply): void;
  counters: ServerCounters;
  replay: ReplayCache;
  /** Undefined when rate limiting is off. */
  rates: RateLimiter | undefined;
}

export function dispatch(ctx: ServerContext, hooks: DispatchHooks, data: Uint8Array, from: Endpoint): void {
  hooks.counters.received++;
  // Our own multicast comes back to us on every channel.
  if (sameEndpoint(from, ctx.self)) return;
  // Before any work: a flood from one address costs one map lookup per datagram.
  if (hooks.rates && !hooks.rates.allow(from, ctx.neighbours.isNeighbour(from), ctx.now())) {
    hooks.counters.rateLimited++;
    return;
  }
  const decoded = decode(data);
  if (!decoded.ok) {
    hooks.counters.undecodable++;
    ctx.emit(
      'warning',
      new Error(`undecodable datagram from ${from.ip}:${from.port}: ${decoded.error.message}`),
    );
    return;
  }
  const packet = decoded.value;
  ctx.emit('packetIn', packet, from);
  switch (packet.kind) {
    case 'ServerReply':
      // Like a ServerCommand, a reply comes from the unicast socket of the Server it names.
      if (!sameEndpoint(packet.sender, from)) {
        hooks.counters.spoofed++;
        ctx.emit(
          'warning',
          new Error(`a reply naming ${endpointKey(packet.sender)} came from ${endpointKey(from)}`),
        );
        return;
      }
      if (sameEndpoint(packet.command.sender, ctx.self)) hooks.onOwnReply(packet);
      return;
    case 'ServerCommand':
      serverCommand(ctx, hooks, packet, from);
      return;
    case 'UserCommand':
      userCommand(ctx, hooks, packet, from, data);
      return;
  }
}

function serverCommand(
  ctx: ServerContext,
  hooks: DispatchHooks,
  packet: ServerCommand,
  from: Endpoint,
): void {
  // Servers send everything from their unicast socket, so the source is the Server they name.
  if (!sameEndpoint(packet.sender, from)) {
    hooks.counters.spoofed++;
    ctx.emit(
      'warning',
      new Error(
        `${packet.command.verb} naming ${packet.sender.ip}:${packet.sender.port} came from ${from.ip}:${from.port}`,
      ),
    );
    return;
  }
  const command = packet.command;
  if (command.verb === 'DISCOVER') {
    hooks.discovery.onDiscover({ ...packet, command });
    return;
  }
  const handler = serverHandlers[command.verb] as ServerHandler<typeof command.verb>;
  handler(ctx, packet as Parameters<typeof handler>[1], from);
}

const latin1 = new TextDecoder('latin1');
/** Answered afresh every time: a retry of a query is just another query. */
const QUERIES = new Set<UCommand['verb']>(['FIND', 'LIST', 'ULIST', 'LISTROOMS']);
/** Repeats of these within the replay window are retries; everything else starts afresh. */
const DELIVERIES = new Set<UCommand['verb']>(['SEND', 'CSEND']);

function userCommand(
  ctx: ServerContext,
  hooks: DispatchHooks,
  packet: UserCommand,
  from: Endpoint,
  data: Uint8Array,
): void {
  const command = packet.command;
  if (!sameEndpoint(packet.sender, from)) {
    // Not from the user itself: only FIND and SEND travel between servers, relayed by a neighbour.
    if (ctx.neighbours.isNeighbour(from) && command.verb === 'FIND') {
      handleFind(ctx, packet as FindPacket, from);
    } else if (ctx.neighbours.isNeighbour(from) && command.verb === 'SEND') {
      relayedSend(ctx, packet as UserPacket<'SEND'>, from);
    } else {
      hooks.counters.spoofed++;
      ctx.emit(
        'warning',
        new Error(
          `${command.verb} from ${packet.sender.alias} came from ${from.ip}:${from.port}, not its address`,
        ),
      );
    }
    return;
  }
  if (command.verb === 'PREFERRED') {
    hooks.replay.forget(from);
    userPreferred(ctx, { ...packet, command });
    return;
  }
  if (QUERIES.has(command.verb)) {
    registeredCommand(ctx, hooks, packet, from);
    return;
  }
  const repeated = hooks.replay.handle(
    from,
    latin1.decode(data),
    ctx.now(),
    () => registeredCommand(ctx, hooks, packet, from),
    !DELIVERIES.has(command.verb),
  );
  if (repeated) {
    hooks.counters.repeats++;
    for (const answer of repeated) ctx.send(answer, from);
  }
}

function registeredCommand(
  ctx: ServerContext,
  hooks: DispatchHooks,
  packet: UserCommand,
  from: Endpoint,
): void {
  const command = packet.command;
  if (command.verb === 'PREFERRED') return; // handled before the replay cache
  const registration = ctx.registry.at(from);
  if (
    !registration ||
    (registration.user.alias !== packet.sender.alias && !registration.aliases.has(packet.sender.alias))
  ) {
    hooks.counters.unregistered++;
    ctx.reply(packet, '-ERR', { messages: ['not registered here: send PREFERRED first'] });
    return;
  }
  registration.lastHeard = ctx.now();
  const handler = userHandlers[command.verb] as UserHandler<typeof command.verb>;
  handler(ctx, packet as Parameters<typeof handler>[1], registration);
}
