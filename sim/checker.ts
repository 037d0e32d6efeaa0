/**
 * The invariants, judged from the recorded history alone (as Jepsen's checkers judge a history),
 * never asserted inside the run:
 *
 * - nothing is delivered twice (a user node's messages, and a server's deliveries), except a
 *   request in flight across its sender's move of server, which docs/protocol.md allows;
 * - a SEND answered +OK in a quiet, settled network is delivered exactly once;
 * - a CSEND answered +OK reaches each member of the room once, on whichever server the member is,
 *   and every server hands each sender's lines to its users in the order they were said (under
 *   every fault: servers put room events back in order), unless the sender moved between them;
 * - no two servers hold one alias once the network has settled;
 * - a live user is found by FIND once the network has settled, and one gone (EXIT or silent)
 *   is no longer found once its server has had time to expire and gossip it;
 * - the users of a restarted server are home within a bound of its restart, and a user node
 *   goes "home" only to a server;
 * - a node that lost its server (no backup took it) is on a server again within a bound once
 *   the faults around its loss are over, unless a crash moved servers to new ports meanwhile;
 * - every datagram fits the byte bound, no node floods, and no error goes unhandled.
 *
 * "Quiet" means no fault active from `settle` ms before to the end of what is judged: under
 * loss, a partition or a crash, a datagram lost on a server-to-server or server-to-user leg is
 * lost (docs/protocol.md, "Retries and repeated requests"), so only the at-most-once rules hold.
 */
import { BOUNDS, TIMING } from './config.ts';
import { ROGUE_PORT } from './rogue.ts';
import { line, type TraceEvent } from './trace.ts';

export interface Violation {
  t: number;
  node: string;
  what: string;
}

interface Window {
  id: number;
  from: number;
  to: number;
  kind: string;
}

export function check(events: readonly TraceEvent[]): Violation[] {
  const v: Violation[] = [];
  const end = events.at(-1)?.t ?? 0;
  const windows = faultWindows(events);
  const quiet = (from: number, to: number, except = -1) =>
    !windows.some((w) => w.id !== except && w.from <= to && w.to + BOUNDS.settle >= from);
  const nodes = nodeHistories(events);

  // Operations by text (every text is unique), and deliveries counted.
  const opsByText = new Map<string, { node: string; start: number; end: number }>();
  const starts = new Map<string, TraceEvent>();
  for (const e of events) {
    if (e.kind === 'op' && typeof e.text === 'string') starts.set(`${e.node} ${e.text}`, e);
    if ((e.kind === 'ok' || e.kind === 'fail') && typeof e.text === 'string') {
      const start = starts.get(`${e.node} ${e.text}`);
      opsByText.set(e.text, { node: e.node, start: start?.t ?? e.t, end: e.t });
    }
  }
  const movedDuring = (node: string, from: number, to: number) =>
    (nodes.get(node)?.moves ?? []).some((t) => t >= from && t <= to);
  const senderMoved = (text: string) => {
    const op = opsByText.get(text);
    return op !== undefined && movedDuring(op.node, op.start, op.end);
  };

  const delivered = new Map<string, TraceEvent[]>();
  const serverDelivered = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.kind === 'deliver') push(delivered, `${e.node} ${e.text}`, e);
    if (e.kind === 'serverDeliver') push(serverDelivered, `${e.node} ${e.to} ${e.text}`, e);
  }
  for (const [key, list] of delivered) {
    const text = key.split(' ')[1] as string;
    if (list.length > 1 && !senderMoved(text)) {
      const at = list[1] as TraceEvent;
      v.push({ t: at.t, node: at.node, what: `message ${text} delivered ${list.length} times to the user` });
    }
  }
  for (const [key, list] of serverDelivered) {
    const text = key.split(' ')[2] as string;
    if (list.length > 1 && !senderMoved(text)) {
      const at = list[1] as TraceEvent;
      v.push({ t: at.t, node: at.node, what: `server sent the delivery of ${text} ${list.length} times` });
    }
  }

  for (const e of events) {
    if (e.kind === 'ok' && e.op === 'send') checkSend(e);
    if (e.kind === 'ok' && e.op === 'say') checkSay(e);
    if (e.kind === 'ok' && e.op === 'find') checkFind(e);
    if (e.kind === 'oversize') v.push({ t: e.t, node: e.node, what: `sent a datagram of ${e.bytes} bytes` });
    if (e.kind === 'overrate')
      v.push({ t: e.t, node: e.node, what: `sent over ${BOUNDS.sentPerSecond} datagrams in one second` });
    if (e.kind === 'unhandled') v.push({ t: e.t, node: e.node, what: `unhandled error: ${e.error}` });
    if (e.kind === 'fail' && String(e.code).startsWith('unexpected'))
      v.push({ t: e.t, node: e.node, what: `${e.op} failed with ${e.code}` });
    if (e.kind === 'moved' && e.reason === 'home' && (e.toPort === ROGUE_PORT || !isServerPort(e.toPort)))
      v.push({ t: e.t, node: e.node, what: `went home to ${e.to} at port ${e.toPort}, which is no server` });
  }
  checkServerAliases();
  checkHomecoming();
  checkLineOrder();
  checkRejoin();
  return v.sort((a, b) => a.t - b.t);

  function opStart(e: TraceEvent): number {
    return starts.get(`${e.node} ${e.text}`)?.t ?? e.t;
  }

  function checkSend(ok: TraceEvent): void {
    const start = opStart(ok);
    const by = ok.t + BOUNDS.deliver;
    const to = nodes.get(String(ok.toNode));
    if (by > end || !to || !quiet(start - BOUNDS.settle, by)) return;
    if (
      !to.stable(String(ok.to), start - BOUNDS.settle, by) ||
      movedDuring(ok.node, start - BOUNDS.settle, by)
    )
      return;
    const got = (delivered.get(`${ok.toNode} ${ok.text}`) ?? []).filter((d) => d.t <= by).length;
    if (got !== 1)
      v.push({
        t: ok.t,
        node: ok.node,
        what: `SEND ${ok.text} to ${ok.to} answered +OK, delivered ${got} times`,
      });
  }

  function checkSay(ok: TraceEvent): void {
    const start = opStart(ok);
    const by = ok.t + BOUNDS.deliver;
    if (by > end) return;
    const sender = nodes.get(ok.node);
    const senderJoin = sender?.roomAt(start);
    if (!senderJoin || senderJoin.room !== ok.room || !quiet(senderJoin.t, by)) return;
    for (const [name, member] of nodes) {
      if (name === ok.node) continue;
      const join = member.roomAt(start);
      if (!join || join.room !== ok.room) continue;
      if (
        !quiet(join.t - BOUNDS.settle, by) ||
        !member.stillInRoom(join, by) ||
        movedDuring(name, join.t, by)
      )
        continue;
      const got = (delivered.get(`${name} ${ok.text}`) ?? []).filter((d) => d.t <= by).length;
      if (got !== 1)
        v.push({
          t: ok.t,
          node: ok.node,
          what: `CSEND ${ok.text} in ${ok.room} reached member ${name} ${got} times`,
        });
    }
  }

  /** Each server's deliveries of one sender's lines to one user follow the order they were said. */
  function checkLineOrder(): void {
    const said = new Map<string, TraceEvent>();
    for (const e of events) if (e.kind === 'op' && e.op === 'say') said.set(String(e.text), e);
    const last = new Map<string, { line: TraceEvent; delivery: TraceEvent }>();
    for (const e of events) {
      if (e.kind !== 'serverDeliver') continue;
      const line = said.get(String(e.text));
      if (!line) continue;
      const key = `${e.node} ${e.to} ${line.node}`;
      const before = last.get(key);
      last.set(key, { line, delivery: e });
      if (!before || before.line.t <= line.t) continue;
      const end = opsByText.get(String(before.line.text))?.end ?? before.line.t;
      if (movedDuring(line.node, line.t, end)) continue;
      v.push({
        t: e.t,
        node: e.node,
        what: `line ${line.text} of ${line.node} handed to ${e.to} after ${before.line.text}, said later`,
      });
    }
  }

  function checkFind(ok: TraceEvent): void {
    const start = opStart(ok);
    const target = nodes.get(String(ok.target));
    // The same FIND again within relayWindow is answered from the own server's knowledge only
    // (docs/protocol.md, "Finding a user across servers", 3): not found there is no violation.
    const repeat = events.some(
      (e) =>
        e.kind === 'op' &&
        e.op === 'find' &&
        e.node === ok.node &&
        e.alias === ok.alias &&
        e.t < start &&
        e.t >= start - TIMING.relayWindow,
    );
    if (target && !repeat && quiet(start - BOUNDS.settle, ok.t)) {
      if (
        target.stable(String(ok.alias), start - BOUNDS.settle, ok.t) &&
        !movedDuring(String(ok.target), start - BOUNDS.settle, ok.t) &&
        ok.foundPort !== target.port
      ) {
        v.push({
          t: ok.t,
          node: ok.node,
          what: `FIND ${ok.alias} (live, settled) answered ${ok.foundPort || 'not found'}`,
        });
      }
    }
    if (ok.foundPort) {
      const holder = [...nodes.values()].find((n) => n.port === ok.foundPort);
      const gone = holder?.gone;
      if (gone !== undefined && ok.t > gone + BOUNDS.departed && quiet(gone, ok.t))
        v.push({
          t: ok.t,
          node: ok.node,
          what: `FIND ${ok.alias} found a user gone since ${(gone / 1000).toFixed(3)}s`,
        });
    }
  }

  function checkServerAliases(): void {
    const aliases = new Map<string, string>();
    let next = 5000;
    const judge = (t: number) => {
      if (!quiet(t - BOUNDS.settle, t)) return;
      const seen = new Map<string, string>();
      for (const [slot, alias] of aliases) {
        const other = seen.get(alias);
        if (other) v.push({ t, node: slot, what: `servers ${other} and ${slot} both hold alias ${alias}` });
        seen.set(alias, slot);
      }
    };
    for (const e of events) {
      while (e.t > next) {
        judge(next);
        next += 5000;
      }
      if (e.kind === 'ready') aliases.set(e.node, String(e.alias));
      if (e.kind === 'renamed' && aliases.has(e.node)) aliases.set(e.node, String(e.to));
      if (e.kind === 'crash') aliases.delete(e.node);
    }
    judge(end);
  }

  function checkHomecoming(): void {
    const last = new Map<string, TraceEvent>();
    for (const e of events) {
      if (e.kind !== 'ready') continue;
      const before = last.get(e.node);
      last.set(e.node, e);
      if (!before) continue;
      const restart = windows.find((w) => w.kind === 'crash' && w.to <= e.t && w.to >= before.t);
      const by = e.t + BOUNDS.home;
      if (!restart || by > end || before.alias !== e.alias || !quiet(e.t, by, restart.id)) continue;
      for (const [name, user] of nodes) {
        if (user.home !== e.node) continue;
        if (user.registered === undefined || user.registered > restart.from) continue;
        if (user.gone !== undefined && user.gone <= by) continue;
        if (user.lostDuring(restart.from, by)) continue;
        const where = user.serverAt(by);
        if (where !== e.port)
          v.push({
            t: by,
            node: name,
            what: `not home at ${e.alias} (port ${e.port}) ${BOUNDS.home} ms after its restart; at port ${where}`,
          });
      }
    }
  }

  /**
   * A lost node asks its last server, home and their neighbours again and again (rejoin.ts): once
   * the faults around its loss end, it is on a server within BOUNDS.rejoin. Not judged when a
   * crash overlaps (a restarted server listens on a new port the node does not know), when the
   * faults outlast the rounds, or when the node left or was lost again meanwhile.
   */
  function checkRejoin(): void {
    for (const [name, node] of nodes) {
      for (const loss of node.losses) {
        let calm = loss.at;
        for (let changed = true; changed; ) {
          changed = false;
          for (const w of windows)
            if (w.id >= 0 && w.from <= calm && w.to > calm) {
              calm = w.to;
              changed = true;
            }
        }
        const by = calm + BOUNDS.rejoin;
        const crashed = windows.some(
          (w) => w.kind === 'crash' && w.from <= by && w.to >= loss.at - BOUNDS.settle,
        );
        const disturbed = windows.some((w) => w.id >= 0 && w.from > calm && w.from <= by);
        if (calm - loss.at > BOUNDS.rejoinJudged || by > end || crashed || disturbed) continue;
        if (node.gone !== undefined && node.gone <= by) continue;
        if (loss.found === undefined || loss.found > by)
          v.push({
            t: by,
            node: name,
            what: `lost at ${(loss.at / 1000).toFixed(3)}s and on no server ${BOUNDS.rejoin} ms after the faults ended`,
          });
      }
    }
  }
}

function isServerPort(port: unknown): boolean {
  return typeof port === 'number' && port >= 10_000 && port < 30_000;
}

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Each fault's window, from its start to its end (the run's end if it never ended). */
function faultWindows(events: readonly TraceEvent[]): Window[] {
  const open = new Map<number, Window>();
  // The network forming: servers on different channels learn of each other's aliases by gossip.
  const windows: Window[] = [{ id: -2, from: 0, to: 2000, kind: 'start' }];
  for (const e of events) {
    if (e.kind === 'faultStart') {
      const w = { id: Number(e.id), from: e.t, to: Number.POSITIVE_INFINITY, kind: String(e.fault) };
      open.set(w.id, w);
      windows.push(w);
    }
    if (e.kind === 'faultEnd') {
      const w = open.get(Number(e.id));
      if (w) w.to = e.t;
    }
  }
  return windows;
}

interface RoomJoin {
  room: string;
  port: number;
  t: number;
}

/** What one user node did, as the checker needs it. */
class NodeHistory {
  port = 0;
  /** The home server's slot: `s1`. */
  home = '';
  registered: number | undefined;
  gone: number | undefined;
  /** Each time no backup took the node (serverLost), and when a server took it again. */
  losses: { at: number; found: number | undefined }[] = [];
  moves: number[] = [];
  /** (time, alias) from registration and each SETALIAS. */
  aliases: { t: number; alias: string }[] = [];
  /** (time, server port) from registration and each move. */
  servers: { t: number; port: number }[] = [];
  joins: RoomJoin[] = [];
  /** Room operations (join, leave, say) started, for "still in the room". */
  roomOps: number[] = [];
  leaves: number[] = [];

  /** Held `alias` from before `from` to `to`, registered and not gone. */
  stable(alias: string, from: number, to: number): boolean {
    if (this.registered === undefined || this.registered > from) return false;
    if (this.gone !== undefined && this.gone <= to) return false;
    // A node that lost its server is off the network until it finds one again (rejoin.ts).
    if (this.lostDuring(from, to)) return false;
    const held = [...this.aliases].reverse().find((a) => a.t <= from);
    if (held?.alias !== alias) return false;
    return !this.aliases.some((a) => a.t > from && a.t <= to);
  }

  /** Off every server at some time from `from` to `to`. */
  lostDuring(from: number, to: number): boolean {
    return this.losses.some((l) => l.at <= to && (l.found === undefined || l.found >= from));
  }

  serverAt(t: number): number | undefined {
    return [...this.servers].reverse().find((s) => s.t <= t)?.port;
  }

  roomAt(t: number): RoomJoin | undefined {
    const join = [...this.joins].reverse().find((j) => j.t <= t);
    if (!join) return undefined;
    if (this.leaves.some((l) => l > join.t && l <= t)) return undefined;
    return join;
  }

  stillInRoom(join: RoomJoin, until: number): boolean {
    if (this.gone !== undefined && this.gone <= until) return false;
    if (this.lostDuring(join.t, until)) return false;
    return (
      !this.roomOps.some((t) => t > join.t && t <= until) &&
      !this.leaves.some((t) => t > join.t && t <= until)
    );
  }
}

function nodeHistories(events: readonly TraceEvent[]): Map<string, NodeHistory> {
  const nodes = new Map<string, NodeHistory>();
  const of = (name: string) => {
    const known = nodes.get(name);
    if (known) return known;
    const n = new NodeHistory();
    nodes.set(name, n);
    return n;
  };
  for (const e of events) {
    if (!e.node.startsWith('u')) continue;
    const n = of(e.node);
    if (e.kind === 'op' && e.op === 'start') {
      n.port = Number(e.port);
      n.home = String(e.home);
      n.aliases.push({ t: e.t, alias: String(e.alias) });
    }
    if (e.kind === 'ok' && e.op === 'start') {
      n.registered = e.t;
      n.servers.push({ t: e.t, port: Number(e.serverPort) });
    }
    if (e.kind === 'ok' && e.op === 'setAlias') n.aliases.push({ t: e.t, alias: String(e.alias) });
    if (e.kind === 'op' && e.op === 'setAlias') n.aliases.push({ t: e.t, alias: `(changing to ${e.alias})` });
    if (e.kind === 'gone') n.gone ??= e.t;
    if (e.kind === 'op' && e.op === 'exit') n.gone ??= e.t;
    if (e.kind === 'lost') n.losses.push({ at: e.t, found: undefined });
    if (e.kind === 'found') {
      const loss = n.losses.at(-1);
      if (loss && loss.found === undefined) loss.found = e.t;
      n.servers.push({ t: e.t, port: Number(e.serverPort) });
    }
    if (e.kind === 'moved') {
      n.moves.push(e.t);
      n.servers.push({ t: e.t, port: Number(e.toPort) });
    }
    if (e.kind === 'op' && (e.op === 'join' || e.op === 'leave')) n.roomOps.push(e.t);
    if (e.kind === 'ok' && e.op === 'join')
      n.joins.push({ room: String(e.room), port: Number(e.at), t: e.t });
    if (e.kind === 'ok' && e.op === 'leave') n.leaves.push(e.t);
  }
  return nodes;
}

/** The trace around a violation: the events within a second of it, at most `max` lines. */
export function around(events: readonly TraceEvent[], t: number, max = 24): string[] {
  const near = events.filter((e) => Math.abs(e.t - t) <= 1000);
  const index = near.findIndex((e) => e.t >= t);
  const from = Math.max(0, (index < 0 ? near.length : index) - Math.floor(max / 2));
  return near.slice(from, from + max).map(line);
}
