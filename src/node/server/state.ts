/**
 * Section II.v: what a server needs to recover (its alias, channels and neighbours), kept in a
 * file that is rewritten whenever it changes.
 *
 * Writes are atomic and durable: write-file-atomic writes a temporary file in the same folder,
 * fsyncs it and renames it over the old one; then the folder itself is fsynced so the rename
 * survives a power cut (write-file-atomic does not do that last step). A crash at any moment
 * leaves the old file or the new one, never a mix.
 */
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Server } from '../../ast.ts';
import { SerializeError } from '../../errors.ts';
import { serialize } from '../../serialize.ts';
import { type Endpoint, LOOPBACK } from '../transport.ts';

/** The saved state. `format` lets a later version read older files. */
export interface ServerState {
  format: 1;
  alias: string;
  channels: Endpoint[];
  neighbours: Server[];
}

/** A state file that could not be used, and why. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`state file ${file}: ${reason}`);
    this.file = file;
  }
}

/**
 * Reads a state file. A missing file is `undefined` (a first start); an unreadable or invalid one
 * throws StateFileError saying what is wrong, so the caller can report it and start fresh.
 */
export async function loadState(file: string): Promise<ServerState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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
  const state = value as Partial<ServerState> | null;
  if (typeof state !== 'object' || state === null || state.format !== 1) {
    throw new StateFileError(file, 'is not a format 1 server state');
  }
  if (!Array.isArray(state.channels) || !Array.isArray(state.neighbours)) {
    throw new StateFileError(file, '"channels" and "neighbours" must be arrays');
  }
  // The codec's own validation: the state holds exactly what a DISCOVER, JOINCHANNEL and
  // KNOWNSERVERS packet could carry, or it is refused.
  const self: Server = { kind: 'Server', alias: String(state.alias), ip: LOOPBACK, port: 1 };
  try {
    serialize({
      kind: 'ServerCommand',
      sender: self,
      command: { verb: 'DISCOVER', alias: String(state.alias) },
    });
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
    alias: state.alias as string,
    channels: state.channels.map(({ ip, port }) => ({ ip, port })),
    neighbours: state.neighbours.map(({ alias, ip, port }) => ({ kind: 'Server', alias, ip, port })),
  };
}

/**
 * Saves states to one file, one write at a time: a save requested while another is being
 * written replaces any save still waiting, so the file always ends with the latest state.
 */
export class StateFile {
  readonly file: string;
  readonly #onError: (error: Error) => void;
  #writing: Promise<void> | undefined;
  #next: ServerState | undefined;

  constructor(file: string, onError: (error: Error) => void) {
    this.file = file;
    this.#onError = onError;
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
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { fsync: true });
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
