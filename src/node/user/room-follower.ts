/**
 * Rooms follow the user (the `followRooms` option). Rooms live on one server and the protocol
 * moves nobody's membership, so after a failover (or coming home to a restarted server) the user
 * would silently be in no room. The follower remembers the rooms the server confirmed (+OK to our
 * CREATEROOM, JOINROOM, LEAVEROOM, EXIT) and, on every change of server, joins each again there,
 * creating it if that server has no such room. The room CSEND went to is joined last, so it is the
 * current room again. Built only on the node's public methods and events.
 */
import type { EventEmitter } from 'node:events';
import type { Server, ServerReply, UserNode } from '../../ast.ts';
import { sameEndpoint } from '../transport.ts';
import type { RequestError } from './errors.ts';
import type { UserEvents } from './events.ts';

/** What the follower uses of a user node: its public methods and events. */
export interface FollowedUser extends EventEmitter<UserEvents> {
  readonly self: UserNode;
  readonly server: Server;
  join(room: string): Promise<void>;
  createRoom(room: string): Promise<void>;
}

export function followRooms(user: FollowedUser): void {
  /** In the order joined; `current` is the room CSEND goes to. */
  const rooms = new Set<string>();
  let current: string | undefined;
  let following = Promise.resolve();

  user.on('packetIn', (packet) => {
    if (packet.kind === 'ServerReply') remember(packet);
  });
  user.on('serverChanged', () => {
    following = following
      .then(rejoinAll)
      .catch((error: Error) => {
        user.emit('warning', error);
      })
      .finally(() => user.emit('roomsFollowed', user.server));
  });

  function remember(reply: ServerReply): void {
    const echoed = reply.command;
    if (reply.status !== '+OK' || echoed.kind !== 'UserCommand') return;
    // Only our own requests, confirmed by the server we are on (not an EXIT to a backup we left).
    if (!sameEndpoint(echoed.sender, user.self) || !sameEndpoint(reply.sender, user.server)) return;
    const command = echoed.command;
    if (command.verb === 'CREATEROOM' || command.verb === 'JOINROOM') {
      rooms.delete(command.room);
      rooms.add(command.room);
      current = command.room;
    } else if (command.verb === 'LEAVEROOM') {
      rooms.delete(command.room);
      if (current === command.room) current = undefined;
    } else if (command.verb === 'EXIT') {
      rooms.clear();
      current = undefined;
    }
  }

  async function rejoinAll(): Promise<void> {
    const order = [...rooms].filter((room) => room !== current);
    if (current !== undefined) order.push(current);
    for (const room of order) {
      const outcome = await rejoin(room);
      if (outcome === 'stop') return;
      if (outcome instanceof Error) {
        rooms.delete(room);
        if (current === room) current = undefined;
        user.emit('roomLost', room, user.server, outcome);
      } else {
        user.emit('roomRejoined', room, user.server, outcome);
      }
    }
  }

  /** Join; if refused, create; if that is refused too (someone created it meanwhile), join again. */
  async function rejoin(room: string): Promise<'joined' | 'created' | 'stop' | Error> {
    const attempts: [() => Promise<void>, 'joined' | 'created'][] = [
      [() => user.join(room), 'joined'],
      [() => user.createRoom(room), 'created'],
      [() => user.join(room), 'joined'],
    ];
    let last: Error | undefined;
    for (const [attempt, how] of attempts) {
      try {
        await attempt();
        return how;
      } catch (error) {
        const code = (error as RequestError).code;
        // The node closed or has no server at all: nothing to follow into.
        if (code === 'CLOSED' || code === 'NO_SERVER') return 'stop';
        last = error as Error;
        if (code !== 'REFUSED') break;
      }
    }
    return last ?? new Error(`could not rejoin ${room}`);
  }
}
