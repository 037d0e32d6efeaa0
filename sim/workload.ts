/**
 * The seeded workload: at random moments a random user slot does one thing — registers (a new
 * node coming), SENDs, FINDs, joins, leaves or creates a room and CSENDs, changes its alias,
 * EXITs, or vanishes without a word. Every operation and its outcome go into the trace; every
 * message text is unique, so the checker can follow each one.
 */
import type { ChatUser } from '../src/node/index.ts';
import type { Random } from './random.ts';
import { codeOf, type UserSlot, type World } from './world.ts';

const ROOMS = ['r0', 'r1', 'r2'];

export class Workload {
  readonly #world: World;
  readonly #random: Random;
  readonly #until: number;
  #texts = 0;
  #ghosts = 0;
  /** Aliases of users that left, silently or by EXIT. */
  readonly #departed: string[] = [];

  constructor(world: World, random: Random, until: number) {
    this.#world = world;
    this.#random = random;
    this.#until = until;
  }

  start(): void {
    // The servers first, a moment to claim their aliases, then the users.
    for (const slot of this.#world.servers) this.#world.startServer(slot);
    this.#world.clock.setTimeout(() => {
      for (const slot of this.#world.users) this.#world.startUser(slot, () => {});
      this.#tick();
    }, 2000);
  }

  #tick(): void {
    if (this.#world.trace.time >= this.#until || this.#world.meter.runaway) return;
    this.#step();
    this.#world.clock.setTimeout(() => this.#tick(), this.#random.between(20, 400));
  }

  #step(): void {
    const world = this.#world;
    const random = this.#random;
    const slot = random.pick(world.users);
    if (slot.busy) return;
    const user = slot.node;
    if (!user || !slot.live) {
      if (!user && random.chance(0.5)) world.startUser(slot, () => {});
      return;
    }
    const roll = random.next();
    const others = world.users.filter((u) => u !== slot && u.live);
    if (roll < 0.3 && others.length > 0) {
      const to = random.pick(others);
      const text = `m${++this.#texts}`;
      this.#op(slot, 'send', { to: to.alias, toNode: to.name, text }, () => user.send(to.alias, text));
    } else if (roll < 0.5) {
      // Mostly live users; sometimes one that has gone (it must stop being found), or nobody.
      const target = others.length > 0 && random.chance(0.7) ? random.pick(others) : undefined;
      const departed =
        !target && this.#departed.length > 0 && random.chance(0.6) ? random.pick(this.#departed) : undefined;
      const alias = target?.alias ?? departed ?? `ghost${++this.#ghosts}`;
      this.#op(slot, 'find', { alias, target: target?.name ?? '' }, async () => {
        const found = await user.find(alias);
        return found ? { foundPort: found.user.port, foundServer: found.server.port } : { foundPort: 0 };
      });
    } else if (roll < 0.7) {
      this.#roomStep(slot, user);
    } else if (roll < 0.76) {
      const alias = world.freshAlias(slot);
      this.#op(slot, 'setAlias', { alias }, async () => {
        await user.setAlias(alias);
        slot.alias = alias;
      });
    } else if (roll < 0.8) {
      slot.live = false;
      this.#op(slot, 'exit', {}, async () => {
        try {
          await user.exit();
        } finally {
          this.#gone(slot, user, 'exit');
        }
      });
    } else if (roll < 0.85) {
      slot.live = false;
      this.#gone(slot, user, 'silent');
    }
  }

  #roomStep(slot: UserSlot, user: ChatUser): void {
    const random = this.#random;
    if (slot.room && random.chance(0.7)) {
      // Sometimes a burst: lines one after another as fast as the server answers, close enough
      // for a reordering network to make them overtake each other between servers.
      this.#say(slot, user, slot.room, random.chance(0.5) ? 4 : 0);
    } else if (slot.room) {
      const room = slot.room;
      this.#op(slot, 'leave', { room }, async () => {
        await user.leave(room);
        slot.room = undefined;
      });
    } else {
      const room = random.pick(ROOMS);
      this.#op(slot, 'join', { room }, async () => {
        await user.join(room).catch(() => user.createRoom(room));
        slot.room = room;
      });
    }
  }

  /** Says a line in `room`, then `more` lines, each once the one before is answered. */
  #say(slot: UserSlot, user: ChatUser, room: string, more: number): void {
    const text = `c${++this.#texts}`;
    this.#op(
      slot,
      'say',
      { room, text },
      () => user.say(text),
      () => {
        if (more > 0 && slot.node === user && slot.live && slot.room === room && !slot.busy)
          this.#say(slot, user, room, more - 1);
      },
    );
  }

  /**
   * Runs one operation of a user, tracing its start and its outcome (with where the node is
   * then); `then` runs after it, whatever its outcome.
   */
  #op(
    slot: UserSlot,
    op: string,
    fields: Record<string, unknown>,
    run: () => Promise<unknown>,
    then: () => void = () => {},
  ): void {
    const trace = this.#world.trace;
    const user = slot.node as ChatUser;
    const name = slot.name;
    slot.busy = true;
    trace.record('op', name, { op, ...fields, at: user.server.port });
    run()
      .then(
        (result) => trace.record('ok', name, { op, ...fields, ...(result as object), at: user.server.port }),
        (error) => trace.record('fail', name, { op, ...fields, code: codeOf(error) }),
      )
      .finally(() => {
        slot.busy = false;
        then();
      });
  }

  /** The node is closed: after an EXIT, or silently (its server expires it). */
  #gone(slot: UserSlot, user: ChatUser, how: 'exit' | 'silent'): void {
    this.#world.trace.record('gone', slot.name, { how, alias: slot.alias });
    this.#departed.push(slot.alias);
    if (slot.node === user) slot.node = undefined;
    slot.room = undefined;
    void user.close();
  }
}
