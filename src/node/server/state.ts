/**
 * Section II.v: what a server needs to recover (its alias, channels and neighbours), kept in a
 * file that is rewritten whenever it changes.
 *
 * Writes are atomic and durable: write-file-atomic writes a temporary file in the same folder,
 * fsyncs it and renames it over the old one; then the folder itself is fsynced so the rename
 * survives a power cut (write-file-atomic does not do that last step). A crash at any moment
 * leaves the old file or the new one, never a mix.
 *
 * The file is never written through a symbolic link (the link could point anywhere the server
 * may write), never rewritten by a version that does not know its format (a newer server's file
 * is never downgraded), and its size is checked before it is read.
 */
import { lstat, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Server } from '../../ast.ts';
import { SerializeError } from '../../errors.ts';
import { serialize } from '../../serialize.ts';
import { type Endpoint, LOOPBACK } from '../transport.ts';

/** The saved state. `format` lets a later version read older files. */
export interface ServerState {
  /** The file's format: 1. */
  format: 1;
  /** The alias held, after any rename. */
  alias: string;
  /** The multicast channels joined. */
  channels: Endpoint[];
  /** The neighbours, asked to send this server's users home after a restart. */
  neighbours: Server[];
}

/** The largest state file read: a state with every bound at its default is a few kilobytes. */
export const MAX_STATE_BYTES = 1024 * 1024;

/**
 * A state file that could not be used, and why. `fatal`: starting anyway would destroy it (a
 * newer format, a symbolic link), so the server must not start; otherwise it may start fresh.
 */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  readonly file: string;
  readonly fatal: boolean;
  constructor(file: string, reason: string, fatal = false) {
    super(`state file ${file}: ${reason}`);
    this.file = file;
    this.fatal = fatal;
  }
}

/** Refuses a path that is a symbolic link; false when nothing is there yet. */
async function existsAsFile(file: string): Promise<boolean> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new StateFileError(file, `cannot be read (${(error as Error).message})`);
  }
  if (stats.isSymbolicLink()) {
    throw new StateFileError(file, 'is a symbolic link; refusing to follow it (name the real file)', true);
  }
  if (!stats.isFile()) throw new StateFileError(file, 'is not a regular file', true);
  return true;
}

/**
 * Reads a state file. A missing file is `undefined` (a first start); an unreadable or invalid one
 * throws StateFileError saying what is wrong, so the caller can report it and start fresh.
 */
export async function loadState(file: string): Promise<ServerState | undefined> {
  if (!(await existsAsFile(file))) return undefined;
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_STATE_BYTES) {
        throw new StateFileError(file, `is ${size} bytes; a state file is at most ${MAX_STATE_BYTES}`);
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof StateFileError) throw error;
    throw new StateFileError(file, `cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `is not JSON (${(error as Error).message})`);
  }
  return checkState(file, value);
}

function checkState(file: string, value: unknown): ServerState {
  const state = value as Partial<Omit<ServerState, 'format'>> & { format?: unknown };
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new StateFileError(file, 'is not a format 1 server state');
  }
  if (typeof state.format === 'number' && state.format > 1) {
    throw new StateFileError(
      file,
      `has format ${state.format}, newer than this version's 1; not overwriting it`,
      true,
    );
  }
  if (state.format !== 1) throw new StateFileError(file, 'is not a format 1 server state');
  if (typeof state.alias !== 'string') throw new StateFileError(file, '"alias" must be a string');
  if (!Array.isArray(state.channels) || !Array.isArray(state.neighbours)) {
    throw new StateFileError(file, '"channels" and "neighbours" must be arrays');
  }
  // The codec's own validation: the state holds exactly what a DISCOVER, JOINCHANNEL and
  // KNOWNSERVERS packet could carry, or it is refused.
  const self: Server = { kind: 'Server', alias: state.alias, ip: LOOPBACK, port: 1 };
  try {
    serialize({ kind: 'ServerCommand', sender: self, command: { verb: 'DISCOVER', alias: state.alias } });
    serialize({
      kind: 'ServerCommand',
      sender: self,
      command: { verb: 'KNOWNSERVERS', servers: state.neighbours },
    });
    for (const channel of state.channels) {
      serialize({
        kind: 'ServerCommand',
        sender: self,
        command: { verb: 'JOINCHANNEL', ip: channel?.ip, port: channel?.port },
      });
    }
  } catch (error) {
    if (error instanceof SerializeError)
      throw new StateFileError(file, `holds an invalid value (${error.message})`);
    throw error;
  }
  return {
    format: 1,
    alias: state.alias,
    channels: state.channels.map(({ ip, port }) => ({ ip, port })),
    neighbours: state.neighbours.map(({ alias, ip, port }) => ({ kind: 'Server', alias, ip, port })),
  };
}

/**
 * Where a server keeps its state: a file (what a path in the `state` option gives, written
 * atomically), or any store with these operations, such as one in memory for a simulation whose
 * restarts must not wait on real I/O.
 */
export interface StateStore {
  /** The saved state; undefined on a first start. Throws StateFileError when it cannot be used. */
  load(): Promise<ServerState | undefined>;
  /** Keeps `state`, replacing the last one; may finish later (see `flushed`). */
  save(state: ServerState): void;
  /** Resolves once every save requested so far is kept. */
  flushed(): Promise<void>;
}

/**
 * Saves states to one file, one write at a time: a save requested while another is being
 * written replaces any save still waiting, so the file always ends with the latest state.
 */
export class StateFile implements StateStore {
  readonly file: string;
  readonly #onError: (error: Error) => void;
  #writing: Promise<void> | undefined;
  #next: ServerState | undefined;

  constructor(file: string, onError: (error: Error) => void) {
    this.file = file;
    this.#onError = onError;
  }

  load(): Promise<ServerState | undefined> {
    return loadState(this.file);
  }

  save(state: ServerState): void {
    this.#next = state;
    this.#writing ??= this.#drain();
  }

  /** Resolves once every requested save has been written (or has failed and been reported). */
  async flushed(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    while (this.#next) {
      const state = this.#next;
      this.#next = undefined;
      try {
        await writeState(this.file, state);
      } catch (error) {
        this.#onError(new StateFileError(this.file, `cannot be written (${(error as Error).message})`));
      }
    }
    this.#writing = undefined;
  }
}

/** One atomic, durable write of a state. */
export async function writeState(file: string, state: ServerState): Promise<void> {
  // write-file-atomic would write to a symbolic link's target: refuse before it does.
  await existsAsFile(file);
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { fsync: true });
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
