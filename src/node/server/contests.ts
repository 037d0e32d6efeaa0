/**
 * Claims on an alias being settled. Another server's gossip names a user that a live server here
 * already holds; the first holder is asked whether it lives (handlers/gossip.ts) and the alias
 * moves only if it does not answer. Until that is decided, what depends on where the alias is (a
 * FIND, a relayed SEND) waits rather than name a server that may have just died.
 */
export class Contests {
  readonly #pending = new Map<string, Promise<void>>();

  /** A claim on `alias` is being decided; `settled` resolves (or rejects) once it is. */
  open(alias: string, settled: Promise<unknown>): void {
    const clear = () => {
      if (this.#pending.get(alias) === done) this.#pending.delete(alias);
    };
    const done = settled.then(clear, clear);
    this.#pending.set(alias, done);
  }

  /**
   * Runs `action` once the claim on `alias` is decided, or now when nothing contests it. It runs
   * once: claims that follow one another cannot hold it back for longer.
   */
  afterClaims(alias: string, action: () => void): void {
    const pending = this.#pending.get(alias);
    if (pending) pending.then(action);
    else action();
  }
}
