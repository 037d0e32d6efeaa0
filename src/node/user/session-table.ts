/**
 * The user node's session as a table: its states, the events that move it (named after the
 * specification's Sections II.iii-v) and which event is allowed in which state. Pure data and one
 * function; session.ts runs it.
 */

/**
 * - `unregistered`: not registered: before `start()`, and after EXIT. Requests still go to the
 *   last server, but its silence is not looked into.
 * - `registered`: on a server; requests go to it; a silence makes the node check it.
 * - `checking`: the server was silent; PREFERRED (which every server answers) asks it whether it
 *   is there. Requests wait.
 * - `failingOver`: the server did not answer: PREFERRED to each of its neighbours in turn.
 *   Requests wait.
 * - `calledHome`: the preferred server is back: PREFERRED to it, then EXIT to the backup.
 *   Requests wait.
 * - `lost`: no neighbour took the node; requests fail with NO_SERVER. The node keeps asking its
 *   last server, home and their neighbours, with backoff, for a while (rejoin.ts).
 * - `closed`: `close()` was called; requests fail with CLOSED. Final.
 */
export type SessionStateName =
  | 'unregistered'
  | 'registered'
  | 'checking'
  | 'failingOver'
  | 'calledHome'
  | 'lost'
  | 'closed';

/** The states in which the node is changing (or checking) its server: requests wait. */
export const CHANGING: readonly SessionStateName[] = ['checking', 'failingOver', 'calledHome'];

/** Every state, `closed` last. */
export const STATES: readonly SessionStateName[] = [
  'unregistered',
  'registered',
  'checking',
  'failingOver',
  'calledHome',
  'lost',
  'closed',
];

const OPEN = STATES.filter((state) => state !== 'closed');

/** Each event: the states it is allowed in, and the state it leads to. */
export const TRANSITIONS = {
  /** `start()`: the preferred server answered PREFERRED. */
  registered: { from: ['unregistered', 'registered', 'lost'], to: 'registered' },
  /** II.iii: a request went unanswered (or the keep-alive came due): is the server there? */
  serverSilent: { from: ['registered'], to: 'checking' },
  /** II.iii: the server answered the check: requests go on there with the tries they have left. */
  serverAnswered: { from: ['checking'], to: 'registered' },
  /** II.iii: the check went unanswered (or was refused): the server has failed. */
  serverFailed: { from: ['checking'], to: 'failingOver' },
  /** II.iii: a neighbour of the failed server took the node: requests start again there. */
  backupTook: { from: ['failingOver'], to: 'registered' },
  /** II.iii: "If there is no available backup server, the user node exits." */
  noBackup: { from: ['failingOver'], to: 'lost' },
  /** A lost node's retry (rejoin.ts) was answered: its last server, home or a neighbour took it. */
  serverFound: { from: ['lost'], to: 'registered' },
  /** II.v: the preferred server called (PREFERRED), vouched for by our server: go home. */
  calledHome: { from: ['registered'], to: 'calledHome' },
  /** II.v: home took the node; the backup is sent EXIT. Requests start again at home. */
  homeTook: { from: ['calledHome'], to: 'registered' },
  /** II.v: home did not answer after all: the node stays on the backup. */
  homeSilent: { from: ['calledHome'], to: 'registered' },
  /** EXIT: the node deregistered; it no longer checks on the server. A lost node stops rejoining. */
  exited: { from: ['unregistered', 'registered', 'lost'], to: 'unregistered' },
  /** `close()`. */
  closed: { from: OPEN, to: 'closed' },
} as const satisfies Record<SessionEvent, { from: readonly SessionStateName[]; to: SessionStateName }>;

/** What moves a user node's session from one state to another (the table is TRANSITIONS). */
export type SessionEvent =
  | 'registered'
  | 'serverSilent'
  | 'serverAnswered'
  | 'serverFailed'
  | 'backupTook'
  | 'noBackup'
  | 'serverFound'
  | 'calledHome'
  | 'homeTook'
  | 'homeSilent'
  | 'exited'
  | 'closed';

/** The state `event` leads to from `state`, or undefined when it is not allowed there. */
export function nextState(state: SessionStateName, event: SessionEvent): SessionStateName | undefined {
  if (!Object.hasOwn(TRANSITIONS, event)) return undefined; // not an event at all (from JavaScript)
  const transition = TRANSITIONS[event];
  return (transition.from as readonly SessionStateName[]).includes(state) ? transition.to : undefined;
}
