/**
 * How endpoints become NATS subjects. Every subject ends with the sender's endpoint, so a NATS
 * permission `publish: chat.*.*.<own endpoint>` makes that field impossible to fake: a datagram's
 * source is whatever the subject says, and NATS refuses a client that publishes as another.
 *
 * - `chat.u.<to>.<from>`: unicast to a node on NATS; only the node `<to>` may subscribe.
 * - `chat.c.<channel>.<from>`: a multicast channel; servers subscribe to the channels they join.
 *
 * Subject tokens cannot contain dots, so `127.0.0.1:8000` is written `127-0-0-1-8000`.
 */
import { isIPv4 } from 'node:net';
import type { Endpoint } from '../transport.ts';

/** The first token of every subject this protocol uses. */
export const SUBJECT_ROOT = 'chat';

/** An endpoint as one subject token: `127.0.0.1:8000` -> `127-0-0-1-8000`. */
export function endpointToken(e: Endpoint): string {
  return `${e.ip.replaceAll('.', '-')}-${e.port}`;
}

/** The endpoint a token names, or undefined if it names none. */
export function tokenEndpoint(token: string): Endpoint | undefined {
  const parts = token.split('-');
  if (parts.length !== 5) return undefined;
  const ip = parts.slice(0, 4).join('.');
  const portText = parts[4] as string;
  const port = Number(portText);
  if (!isIPv4(ip) || !/^\d{1,5}$/.test(portText) || port > 65535) return undefined;
  return { ip, port };
}

/** Where a datagram to `to` from `from` is published. */
export function unicastSubject(to: Endpoint, from: Endpoint): string {
  return `${SUBJECT_ROOT}.u.${endpointToken(to)}.${endpointToken(from)}`;
}

/** Where a datagram multicast on `channel` by `from` is published. */
export function channelSubject(channel: Endpoint, from: Endpoint): string {
  return `${SUBJECT_ROOT}.c.${endpointToken(channel)}.${endpointToken(from)}`;
}

/** What a node subscribes to for its own unicast datagrams, from anyone. */
export function inboxSubscription(self: Endpoint): string {
  return `${SUBJECT_ROOT}.u.${endpointToken(self)}.*`;
}

/** What a node subscribes to for a joined channel's datagrams, from anyone. */
export function channelSubscription(channel: Endpoint): string {
  return `${SUBJECT_ROOT}.c.${endpointToken(channel)}.*`;
}

/** What a server subscribes to be allowed to join any channel. */
export const EVERY_CHANNEL = `${SUBJECT_ROOT}.c.>`;

/** The sender named by a subject of this protocol, or undefined for any other subject. */
export function subjectSender(subject: string): Endpoint | undefined {
  const tokens = subject.split('.');
  if (tokens.length !== 4 || tokens[0] !== SUBJECT_ROOT) return undefined;
  if (tokens[1] !== 'u' && tokens[1] !== 'c') return undefined;
  return tokenEndpoint(tokens[3] as string);
}
