/**
 * The requests by which a user node checks or changes its server; the session (session.ts)
 * decides when, and what their outcome does. Each request goes to one server only, with its own
 * N tries, and is not counted by the failure detector.
 * - Checking (Section II.iii): PREFERRED to the silent server itself, the one request every
 *   server answers a user (re-registering changes nothing).
 * - Failover (Section II.iii): `PREFERRED <its preferred server>` to each of the failed server's
 *   neighbours in turn (its last KNOWNSERVERS); the first +OK is the node's server.
 * - Rejoining (rejoin.ts): the same, from a lost node to its last server, home and neighbours.
 */
import type { Server, ServerReply } from '../../ast.ts';
import { sameEndpoint } from '../transport.ts';
import type { RequestError } from './errors.ts';

/** What a check or change needs of the session. */
export interface ChangeRequests {
  /** `PREFERRED <the preferred server>` to `to` alone. */
  preferred(to: Server): Promise<ServerReply>;
  /** False once the change no longer matters (the node was closed): stop trying. */
  readonly current: boolean;
}

/** Whether `server` is there: its answer to PREFERRED, or the error (-ERR, silence, CLOSED). */
export async function checkServer(
  requests: ChangeRequests,
  server: Server,
): Promise<{ answer: ServerReply } | { error: RequestError }> {
  try {
    return { answer: await requests.preferred(server) };
  } catch (error) {
    return { error: error as RequestError };
  }
}

/**
 * Asks each of `backups` but `failed` (if given) in turn: the first answer, or undefined when none
 * took the node or the change stopped mattering.
 */
export async function failOver(
  requests: ChangeRequests,
  backups: readonly Server[],
  failed?: Server,
): Promise<ServerReply | undefined> {
  for (const backup of backups) {
    if ((failed && sameEndpoint(backup, failed)) || !requests.current) continue;
    try {
      return await requests.preferred(backup);
    } catch (error) {
      if ((error as RequestError).code === 'CLOSED') return undefined;
    }
  }
  return undefined;
}
