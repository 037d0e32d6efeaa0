/**
 * A server's state kept in memory, every save kept: a restart loads the latest save, or an
 * older one (a state file restored from before the last changes). Real files would make a
 * restart wait on real I/O while virtual time runs on, and the run would no longer repeat.
 */
import type { ServerState, StateStore } from '../src/node/index.ts';

export class MemoryStateStore implements StateStore {
  readonly #saves: ServerState[] = [];
  /** The next load returns a save from before the latest change. */
  older = false;

  async load(): Promise<ServerState | undefined> {
    const saves = this.#saves;
    const state = this.older ? saves[Math.floor((saves.length - 1) / 2)] : saves.at(-1);
    this.older = false;
    return state && structuredClone(state);
  }

  save(state: ServerState): void {
    const last = this.#saves.at(-1);
    if (last && JSON.stringify(last) === JSON.stringify(state)) return;
    this.#saves.push(structuredClone(state));
  }

  async flushed(): Promise<void> {}
}
