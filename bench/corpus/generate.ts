/**
 * Writes the benchmark corpora, checked in so that every run and every machine measures the same
 * packets: `npm run bench:corpus`.
 *
 * - `mixed.json`: 10,000 packets as a chat network carries them: every verb, realistic aliases,
 *   addresses and ports, messages from 0 to 1,000 bytes, mean packet size near 100 bytes.
 * - `large-replies.json`: 200 packets listing 50 to 200 users (LIST, ULIST, KNOWNUSERS).
 *
 * Packets are written as text here, not by `serialize`, and each is checked to parse.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/index.ts';
import { seeded } from '../lib/seeded.ts';

const random = seeded(20261130);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'Zoe',
  'ann2',
  'Bob77',
  'kim',
  'lee',
  'mo',
  'noor',
  'Pat',
  'quinn',
  'ravi',
  'sam',
  'tariq',
  'uma',
  'wen',
];
const SERVERS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'alpha2', 'hub', 'lab3', 'east', 'west'];
const ROOMS = ['lobby', 'general', 'random', 'dev', 'ops', 'music', 'room42', 'Games', 'help', 'news'];
const WORDS = [
  'hi',
  'hello',
  'there',
  'the',
  'meeting',
  'is',
  'at',
  'noon',
  'see',
  'you',
  'soon',
  'thanks',
  'ok',
  'did',
  'anyone',
  'try',
  'new',
  'build',
  'it',
  'works',
  'for',
  'me',
  'now',
  'lunch?',
  'yes',
  'no',
  'maybe',
  'tomorrow',
  'café',
  'naïve',
  'déjà',
  'vu',
  '👍',
  '🎉',
  'FIND',
  'SEND',
  'MESSAGE',
  'server',
  'down',
  'again',
  'back',
  'up',
  ':)',
  'lol',
  'brb',
  '1.2.3.4',
  'port',
];

function alias(): string {
  return pick(NAMES);
}

function ip(): string {
  switch (int(0, 3)) {
    case 0:
      return `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
    case 1:
      return `192.168.${int(0, 3)}.${int(1, 254)}`;
    case 2:
      return `172.${int(16, 31)}.${int(0, 255)}.${int(1, 254)}`;
    default:
      return '127.0.0.1';
  }
}

/** Canonical Port text: 4 digits (zero-padded), or 5. */
function port(): string {
  const value = random() < 0.7 ? int(1024, 65535) : pick([80, 443, 5000, 5001, 8000, 8450, 9000]);
  return String(value).padStart(4, '0');
}

const server = () => `SERVER ${pick(SERVERS)} ${ip()} ${port()}`;
const user = () => `USERNODE ${alias()} ${ip()} ${port()}`;

/**
 * Chat text: mostly short lines, some long ones, rarely empty or multi-line; at most 1,000 bytes.
 * The lengths are drawn so that whole packets average about 100 bytes.
 */
function text(): string {
  const r = random();
  if (r < 0.03) return '';
  const target = r < 0.8 ? int(2, 40) : r < 0.97 ? int(40, 200) : int(200, 1000);
  let out = '';
  while (Buffer.byteLength(out) < target) {
    out += (out ? (random() < 0.02 ? '\n' : ' ') : '') + pick(WORDS);
  }
  while (Buffer.byteLength(out) > 1000) out = out.slice(0, -1);
  return out.isWellFormed() ? out : out.slice(0, -1);
}

const message = (content: string) => `MESSAGE ${content}\0`;

function userCommand(): string {
  const r = random();
  if (r < 0.25) return `CSEND ${message(text())}`;
  if (r < 0.5) return `SEND ${alias()} ${message(text())}`;
  if (r < 0.62) return `FIND ${alias()}`;
  if (r < 0.66) return `PREFERRED ${server()}`;
  if (r < 0.7) return `CREATEROOM ${pick(ROOMS)}`;
  if (r < 0.76) return `JOINROOM ${pick(ROOMS)}`;
  if (r < 0.8) return `LEAVEROOM ${pick(ROOMS)}`;
  if (r < 0.84) return `ULIST ${pick(ROOMS)}`;
  if (r < 0.88) return 'LISTROOMS';
  if (r < 0.91) return 'LIST';
  if (r < 0.94) return 'EXIT';
  if (r < 0.96) return `ALIAS ${user()}`;
  if (r < 0.98) return `SETALIAS ${user()}`;
  return `REMOVE ${alias()}`;
}

function serverCommand(): string {
  const r = random();
  if (r < 0.2) return `DISCOVER ${pick(SERVERS)}`;
  if (r < 0.5) return `KNOWNUSERS ${Array.from({ length: int(0, 4) }, user).join(' ')}`.trimEnd();
  if (r < 0.8) return `KNOWNSERVERS ${Array.from({ length: int(0, 3) }, server).join(' ')}`.trimEnd();
  if (r < 0.9) return `PREFERRED ${server()}`;
  return `JOINCHANNEL 230.0.${int(0, 9)}.${int(1, 9)} ${port()}`;
}

function reply(): string {
  const status = random() < 0.85 ? '+OK' : '-ERR';
  const r = random();
  if (r < 0.45) {
    // A delivery: the CSEND or SEND echoed, and for a room its name.
    const delivery =
      random() < 0.5
        ? `${user()} CSEND ${message(text())} ${message(pick(ROOMS))}`
        : `${user()} SEND ${alias()} ${message(text())}`;
    return `SERVERREPLY ${server()} +OK ${delivery}`;
  }
  if (r < 0.65) return `SERVERREPLY ${server()} ${status} ${user()} FIND ${alias()} ${server()} ${user()}`;
  if (r < 0.75) {
    const rooms = Array.from({ length: int(0, 4) }, () => message(pick(ROOMS))).join(' ');
    return `SERVERREPLY ${server()} +OK ${user()} LISTROOMS ${rooms}`.trimEnd();
  }
  if (r < 0.85)
    return `SERVERREPLY ${server()} -ERR ${user()} JOINROOM ${pick(ROOMS)} ${message('no room by that name')}`;
  return `SERVERREPLY ${server()} ${status} ${server()} DISCOVER ${pick(SERVERS)}`;
}

function mixed(): string {
  const r = random();
  if (r < 0.5) return `${user()} ${userCommand()}`;
  if (r < 0.62) return `${server()} ${serverCommand()}`;
  return reply();
}

function largeReply(): string {
  const users = Array.from({ length: int(50, 200) }, user).join(' ');
  switch (int(0, 2)) {
    case 0:
      return `SERVERREPLY ${server()} +OK ${user()} LIST ${users}`;
    case 1:
      return `SERVERREPLY ${server()} +OK ${user()} ULIST ${pick(ROOMS)} ${users}`;
    default:
      return `${server()} KNOWNUSERS ${users}`;
  }
}

function corpus(size: number, make: () => string): string[] {
  const packets = Array.from({ length: size }, make);
  for (const [i, packet] of packets.entries()) {
    try {
      parse(packet);
    } catch (error) {
      throw new Error(
        `corpus packet ${i} does not parse: ${(error as Error).message}\n${JSON.stringify(packet)}`,
      );
    }
  }
  return packets;
}

const folder = import.meta.dirname;
for (const [file, packets] of [
  ['mixed.json', corpus(10_000, mixed)],
  ['large-replies.json', corpus(200, largeReply)],
] as const) {
  writeFileSync(join(folder, file), `${JSON.stringify(packets, null, 0).replaceAll('","', '",\n"')}\n`);
  const bytes = packets.reduce((sum, p) => sum + Buffer.byteLength(p), 0);
  console.log(`${file}: ${packets.length} packets, mean ${(bytes / packets.length).toFixed(1)} bytes`);
}
