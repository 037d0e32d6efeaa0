/**
 * A node that is not what it says: it sends undecodable and malformed datagrams to servers and
 * user nodes, forges calls home (a PREFERRED naming itself with a user's home server's alias),
 * and answers any user's PREFERRED with +OK, so a user node that trusts such a call is caught
 * going "home" to it.
 */
import type { Timer, Transport } from '../src/node/index.ts';
import type { Random } from './random.ts';
import type { World } from './world.ts';

export const ROGUE_PORT = 9999;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Rogue {
  readonly #world: World;
  readonly #random: Random;
  #transport: Transport | undefined;
  #timer: Timer | undefined;

  constructor(world: World, random: Random) {
    this.#world = world;
    this.#random = random;
  }

  start(everyMs: number): void {
    if (!this.#transport) {
      const transport = this.#world.network.transport({ host: '127.0.0.1', port: ROGUE_PORT });
      void transport.open();
      transport.on('datagram', (data, from) => {
        const text = decoder.decode(data);
        if (!text.startsWith('USERNODE ') || !text.includes(' PREFERRED ')) return;
        const alias = text.split(' PREFERRED SERVER ')[1]?.split(' ')[0] ?? 'alpha';
        const answer = `SERVERREPLY SERVER ${alias} 127.0.0.1 ${ROGUE_PORT} +OK ${text.trimEnd()}`;
        transport.send(encoder.encode(answer), from);
      });
      this.#transport = transport;
    }
    this.#timer?.cancel();
    this.#timer = this.#world.clock.setInterval(() => this.#send(), everyMs);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #send(): void {
    const transport = this.#transport;
    if (!transport) return;
    const world = this.#world;
    const random = this.#random;
    const users = world.users.filter((u) => u.node && u.live);
    const servers = world.servers.filter((s) => s.node && s.up);
    // Users away from home are the ones a forged call home could move.
    const away = users.filter((u) => u.node && u.node.server.port !== u.node.preferred.port);
    if (users.length > 0 && random.chance(0.4)) {
      const user = random.pick(away.length > 0 ? away : users);
      const home = world.servers[user.home];
      const alias = home?.node?.alias ?? 'alpha';
      const self = `SERVER ${alias} 127.0.0.1 ${ROGUE_PORT}`;
      transport.send(
        encoder.encode(`${self} PREFERRED ${self}`),
        user.node?.self ?? { ip: '127.0.0.1', port: 1 },
      );
      return;
    }
    const targets = [...servers, ...users].flatMap((slot) => (slot.node ? [slot.node.self] : []));
    if (targets.length === 0) return;
    transport.send(this.#garbage(), random.pick(targets));
  }

  /** Random bytes, a valid packet cut short, or one far over the datagram limit. */
  #garbage(): Uint8Array {
    const random = this.#random;
    const kind = random.int(4);
    if (kind === 0) return Uint8Array.from({ length: random.between(1, 200) }, () => random.int(256));
    if (kind === 1)
      return encoder.encode(
        'USERNODE bob 127.0.0.1 5 SEND carol MESSAGE hel'.slice(0, random.between(1, 40)),
      );
    if (kind === 2)
      return encoder.encode(`USERNODE ${'x'.repeat(random.between(30, 3000))} 127.0.0.1 5 LIST`);
    return encoder.encode(
      `SERVER alpha 127.0.0.1 ${random.between(1, 65535)} KNOWNUSERS USERNODE zz 1.2.3.4 99999`,
    );
  }
}
