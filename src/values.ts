/**
 * The value checks the codec, the network layer, the CLI and the conformance kit share: what an
 * Alias or a RoomName may be, and which addresses are multicast. Written once, by the grammar's own
 * lexical rules (grammar/scanner.ts), so a value passes here exactly when the parser would accept
 * it in that field (test/values.test.ts holds them equal).
 */
import { wordEnd } from '../grammar/scanner.ts';

/** Section IV's `Alias => [A-Za-z0-9]+`: one or more ASCII letters and digits. */
export function isAlias(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && wordEnd(value, 0) === value.length;
}

/** Section IV's `RoomName => [A-Za-z0-9]+`: the same pattern as an Alias. */
export function isRoomName(value: unknown): value is string {
  return isAlias(value);
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * True for an IPv4 multicast address (224.0.0.0/4): a dotted quad as the grammar's IP reads it
 * (four Bytes of 1-3 digits, at most 255, leading zeros allowed) whose first Byte is 224-239.
 * Runs for every datagram a server sends (the outbox asks it of each destination), so it reads
 * character codes once rather than split the string.
 */
export function isMulticast(ip: unknown): boolean {
  if (typeof ip !== 'string') return false;
  let first = -1;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (ip.charCodeAt(i) !== DOT) return false;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < ip.length && i - start < 4) {
      const code = ip.charCodeAt(i);
      if (code < ZERO || code > NINE) break;
      value = value * 10 + code - ZERO;
      i++;
    }
    if (i === start || i - start > 3 || value > 255) return false;
    if (part === 0) first = value;
  }
  return i === ip.length && first >= 224 && first <= 239;
}

/**
 * A multicast channel picked at random in 239.255.0.0/16 (the IPv4 Local Scope, RFC 2365: it is
 * never routed off the site) on a port of 20000-59999, so that tests, the demo and the conformance
 * kit running side by side on one host almost never share a channel. Not a check: it lives here
 * beside `isMulticast` as the one place a channel is made up.
 */
export function randomChannel(): { ip: string; port: number } {
  const r = (n: number) => Math.floor(Math.random() * n);
  return { ip: `239.255.${r(256)}.${1 + r(254)}`, port: 20000 + r(40000) };
}
