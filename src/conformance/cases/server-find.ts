/** Section II.vi: FIND answered directly, forwarded to every neighbour, and answered once. */
import type { UserCommand } from '../../index.ts';
import { serialize } from '../../index.ts';
import type { KitServer } from '../actors/kit-server.ts';
import { replyOf } from '../actors/kit-user.ts';
import { type ConformanceCase, check } from '../case.ts';
import type { Received } from '../probe.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

const FORWARD =
  'Section II.vi: "If a server can fulfill the request and has not previously responded to this request, it replies directly to the UserNode, otherwise it forwards the request to all neighboring servers."';

/** Matches a FIND for `alias` arriving at a kit server from the server under test. */
function forwardedFind(ctx: ServerCaseContext, alias: string) {
  return (r: Received) =>
    r.from.ip === ctx.target.ip &&
    r.from.port === ctx.target.port &&
    r.packet?.kind === 'UserCommand' &&
    r.packet.command.verb === 'FIND' &&
    r.packet.command.alias === alias;
}

/** A FIND from `asker` (a kit user's address) for `alias`, as a neighbour passes it on. */
function relayed(asker: { alias: string; ip: string; port: number }, alias: string): string {
  const find: UserCommand = {
    kind: 'UserCommand',
    sender: { kind: 'UserNode', ...asker },
    command: { verb: 'FIND', alias },
  };
  return serialize(find);
}

async function twoNeighbours(ctx: ServerCaseContext): Promise<[KitServer, KitServer]> {
  return Promise.all([ctx.neighbour('north'), ctx.neighbour('south')]);
}

export const FIND_CASES: ServerCase[] = [
  {
    id: 'II.vi/find-forwarded',
    title: 'A FIND the server cannot answer is forwarded to every neighbour',
    words: FORWARD,
    level: 'MUST',
    expectation: 'Both kit neighbours receive the FIND for the unknown alias.',
    async run(ctx) {
      const [east, west] = await Promise.all([ctx.neighbour('east'), ctx.neighbour('west')]);
      const bob = await ctx.registered('bob');
      const wanted = ctx.alias('wanted');
      bob.send({ verb: 'FIND', alias: wanted });
      const wait = ctx.timing.wait * 2;
      const [n, s] = await Promise.all([
        east.probe.next(forwardedFind(ctx, wanted), wait),
        west.probe.next(forwardedFind(ctx, wanted), wait),
      ]);
      check(
        n && s,
        `forwarded to ${[n && east.alias, s && west.alias].filter(Boolean).join(' and ') || 'no neighbour'}`,
      );
    },
  },
  {
    id: 'II.vi/find-forwarded-unchanged',
    title: "A forwarded FIND keeps the user's UserNode",
    words:
      'docs/protocol.md, Finding a user across servers: "it also forwards the FIND, unchanged, to every neighbour"',
    level: 'NON_STRICT',
    expectation:
      "The FIND a neighbour receives names the asking user's alias and address, so the answer can go to it directly.",
    async run(ctx) {
      const north = await ctx.neighbour('north');
      const bob = await ctx.registered('bob');
      const wanted = ctx.alias('wanted');
      bob.send({ verb: 'FIND', alias: wanted });
      const got = await north.probe.next(forwardedFind(ctx, wanted), ctx.timing.wait * 2);
      check(got, 'the FIND was not forwarded');
      check(got.text.trim() === bob.text({ verb: 'FIND', alias: wanted }), `forwarded as: ${got.text}`);
    },
  },
  {
    id: 'II.vi/find-relayed-answered',
    title: 'A FIND relayed by a neighbour is answered directly to the user node',
    words:
      'Section II.vi: "If a server can fulfill the request ... it replies directly to the UserNode ... The ServerReply includes both the Server information as well as the found UserNode."',
    level: 'MUST',
    expectation:
      "+OK sent to the asking user's address (not to the relaying neighbour), naming the server and the found user.",
    async run(ctx) {
      const north = await ctx.neighbour('north');
      const carol = await ctx.registered('carol');
      const asker = await ctx.user('asker');
      north.send(relayed(asker.node, carol.alias));
      const answer = replyOf(await asker.probe.next(asker.isReplyTo('FIND'), ctx.timing.wait * 2));
      check(answer?.status === '+OK', `the asking user got ${shown(answer)}`);
      check(lists(answer.users, carol.alias, carol.probe.address), `answer: ${shown(answer)}`);
      check(answer.servers.length > 0, `no Server in the answer: ${shown(answer)}`);
    },
  },
  {
    id: 'II.vi/find-once',
    title: 'The same FIND arriving twice is answered once',
    words: FORWARD,
    level: 'MUST',
    expectation: 'The FIND relayed by two neighbours gets one +OK at the asking user, not two.',
    async run(ctx) {
      const [north, south] = await twoNeighbours(ctx);
      const carol = await ctx.registered('carol');
      const asker = await ctx.user('asker');
      const find = relayed(asker.node, carol.alias);
      north.send(find);
      const first = await asker.probe.next(asker.isReplyTo('FIND'), ctx.timing.wait * 2);
      check(replyOf(first)?.status === '+OK', `the first relay was answered ${shown(replyOf(first))}`);
      south.send(find);
      const second = await asker.probe.next(asker.isReplyTo('FIND'), ctx.timing.wait);
      check(second === undefined, `answered again: ${second?.text}`);
    },
  },
  {
    id: 'II.vi/find-not-back',
    title: 'A relayed FIND is passed on to the other neighbours, not back',
    words:
      'docs/protocol.md, Finding a user across servers: "otherwise it forwards the FIND to its neighbours except the one it came from"',
    level: 'NON_STRICT',
    expectation:
      'The other kit neighbour receives the relayed FIND for an unknown alias; the relaying one does not get it back.',
    async run(ctx) {
      const [north, south] = await twoNeighbours(ctx);
      const asker = await ctx.user('asker');
      const wanted = ctx.alias('wanted');
      north.send(relayed(asker.node, wanted));
      const onward = await south.probe.next(forwardedFind(ctx, wanted), ctx.timing.wait * 2);
      check(onward, `${south.alias} did not receive it`);
      const back = await north.probe.next(forwardedFind(ctx, wanted), ctx.timing.wait / 2);
      check(back === undefined, `sent back to ${north.alias}`);
    },
  },
  {
    id: 'II.vi/find-relayed-no-err',
    title: 'A relayed FIND the server cannot answer gets no -ERR',
    words: 'docs/protocol.md, Finding a user across servers: "It never sends -ERR for a forwarded FIND."',
    level: 'NON_STRICT',
    expectation: 'The asking user gets nothing from the server for a relayed FIND of an unknown alias.',
    async run(ctx) {
      const north = await ctx.neighbour('north');
      const asker = await ctx.user('asker');
      north.send(relayed(asker.node, ctx.alias('wanted')));
      const answer = await asker.probe.next(asker.isReplyTo('FIND'), ctx.timing.wait * 2);
      check(answer === undefined, `answered: ${answer?.text}`);
    },
  },
  {
    id: 'II.vi/own-server-answers',
    title: "The user's own server answers even when it forwards",
    words:
      'docs/protocol.md, Finding a user across servers: "The user\'s own server always answers its user"',
    level: 'NON_STRICT',
    expectation: '-ERR to the user for an alias unknown here, while the FIND goes to the neighbours.',
    async run(ctx) {
      await ctx.neighbour('north');
      const bob = await ctx.registered('forwarder');
      expectErr(await bob.request({ verb: 'FIND', alias: ctx.alias('wanted') }), 'FIND of an unknown alias');
    },
  },
];
