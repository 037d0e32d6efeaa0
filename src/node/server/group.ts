/**
 * Section II.ii from the configuration: "a Server may wish to create a 'private' communication
 * channel between servers. This Server would send a JOINCHANNEL command to its neighbors who it
 * wishes to invite." The `group` option names the channel and the aliases to invite; each named
 * server is invited once it is a neighbour, and again every `retryAfter` while it refuses or does
 * not answer (it takes JOINCHANNEL only from its own neighbours, and may not have made us one yet),
 * at most MAX_TRIES times per finding. On the first +OK this server joins the channel too
 * (channels.ts). Whether an invited server leaves its other channels is its own
 * choice (`leaveOnInvite`).
 */
import type { Server } from '../../ast.ts';
import type { Endpoint } from '../transport.ts';

/** The `group` option: a private channel and the neighbours, by alias, invited onto it. */
export interface PrivateGroupOptions {
  /** The private channel: a multicast address and port, as in `channels`. */
  channel: Endpoint;
  /** Aliases of the servers to invite onto it, each once it is a neighbour. */
  invite: readonly string[];
}

/** Invitations sent to one server each time it is found, before giving up until it is found again. */
const MAX_TRIES = 10;

/** What the group needs of the server: the invitation itself, a timer, somewhere to report. */
export interface GroupHost {
  invite(server: Server, channel: Endpoint): Promise<'+OK' | '-ERR'>;
  /** Whether `server` is still a neighbour. */
  isNeighbour(server: Server): boolean;
  later(run: () => void, ms: number): void;
  retryAfter: number;
  warn(error: Error): void;
}

export class PrivateGroup {
  readonly #options: PrivateGroupOptions;
  readonly #host: GroupHost;
  /** Aliases that accepted, or have an invitation out. */
  readonly #settled = new Set<string>();

  constructor(options: PrivateGroupOptions, host: GroupHost) {
    this.#options = options;
    this.#host = host;
  }

  /** A neighbour was found: invite it if it is named and has not accepted. */
  onNeighbour(server: Server): void {
    if (!this.#options.invite.includes(server.alias) || this.#settled.has(server.alias)) return;
    this.#settled.add(server.alias);
    this.#invite(server, 1);
  }

  #invite(server: Server, attempt: number): void {
    const host = this.#host;
    const { channel } = this.#options;
    const where = `${channel.ip}:${channel.port}`;
    const retry = (why: string) => {
      if (attempt < MAX_TRIES && host.isNeighbour(server)) {
        host.later(() => this.#invite(server, attempt + 1), host.retryAfter);
        return;
      }
      this.#settled.delete(server.alias);
      host.warn(new Error(`${server.alias} did not join the private channel ${where}: ${why}`));
    };
    host.invite(server, channel).then(
      (status) => {
        if (status !== '+OK') retry('refused');
      },
      (error: Error) => retry(error.message),
    );
  }
}
