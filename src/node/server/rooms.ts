/** Chat rooms hosted on this server: name -> members (by address key). A room ends with its last member. */
import type { Registration } from './registry.ts';

export class Rooms {
  readonly #rooms = new Map<string, Set<Registration>>();

  get size(): number {
    return this.#rooms.size;
  }

  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  members(room: string): ReadonlySet<Registration> | undefined {
    return this.#rooms.get(room);
  }

  names(): string[] {
    return [...this.#rooms.keys()];
  }

  create(room: string, creator: Registration): void {
    this.#rooms.set(room, new Set([creator]));
  }

  join(room: string, member: Registration): void {
    this.#rooms.get(room)?.add(member);
  }

  /** Returns false when `member` was not in `room`. */
  leave(room: string, member: Registration): boolean {
    const members = this.#rooms.get(room);
    if (!members?.delete(member)) return false;
    if (members.size === 0) this.#rooms.delete(room);
    return true;
  }

  leaveAll(member: Registration): void {
    for (const room of this.names()) this.leave(room, member);
  }
}
