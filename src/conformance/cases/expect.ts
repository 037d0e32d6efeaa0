/** Checks shared by the cases, with failure texts that say what came instead. */
import type { ServerReply, UserNode } from '../../index.ts';
import { serialize } from '../../index.ts';
import { check } from '../case.ts';
import { showDatagram } from '../transcript.ts';

/** A reply as the report shows it, or `no reply`. */
export function shown(reply: ServerReply | undefined): string {
  return reply ? showDatagram(serialize(reply)) : 'no reply';
}

export function expectOk(reply: ServerReply | undefined, what: string): asserts reply is ServerReply {
  check(reply?.status === '+OK', `${what}: expected +OK, got ${shown(reply)}`);
}

export function expectErr(reply: ServerReply | undefined, what: string): asserts reply is ServerReply {
  check(reply?.status === '-ERR', `${what}: expected -ERR, got ${shown(reply)}`);
}

/** Whether a list of UserNodes names `alias` at `address`. */
export function lists(users: readonly UserNode[], alias: string, address?: { ip: string; port: number }) {
  return users.some(
    (u) => u.alias === alias && (address === undefined || (u.ip === address.ip && u.port === address.port)),
  );
}
