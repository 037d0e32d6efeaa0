/**
 * The status line above the prompt, in irssi's manner: the server and the lag, the window on
 * screen, and the windows with lines not yet seen.
 * `[alpha lag 2ms] [2:lobby] [Act: 3,4]` (long names cut, so it fits 80 columns); while the server is checked or changed the lag gives way
 * to what is happening: `[alpha checking]`, `[alpha failing over]`.
 */
import type { SessionStateName } from '../../node/index.ts';
import { visible } from './visible.ts';

export interface StatusInfo {
  server: string;
  /** The user node's `lag`: the latest answered request's round trip, ms. */
  lag: number | undefined;
  state: SessionStateName;
  window: { number: number; name: string };
  activity: readonly number[];
}

const DOING: Partial<Record<SessionStateName, string>> = {
  checking: 'checking',
  failingOver: 'failing over',
  calledHome: 'going home',
  lost: 'lost',
  unregistered: 'left',
};

export function statusLine(info: StatusInfo): string {
  const doing = DOING[info.state] ?? (info.lag === undefined ? '' : `lag ${Math.round(info.lag)}ms`);
  const server = `[${cut(visible(info.server), 12)}${doing === '' ? '' : ` ${doing}`}]`;
  const window = `[${info.window.number}:${cut(visible(info.window.name), 16)}]`;
  const activity = info.activity.length === 0 ? '' : ` [Act: ${info.activity.join(',')}]`;
  return `${server} ${window}${activity}`;
}

/** Names may be 32 characters; the line must stay within 80 columns with every window active. */
function cut(name: string, most: number): string {
  return name.length <= most ? name : `${name.slice(0, most - 1)}~`;
}
