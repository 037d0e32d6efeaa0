/** Section II.i: DISCOVER, collisions, neighbour replies with unicast information, the neighbour round trip. */
import { type ConformanceCase, check } from '../case.ts';
import type { Received } from '../probe.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

/** The alias of the server under test, learned from its answer to a kit user's PREFERRED. */
async function targetAlias(ctx: ServerCaseContext): Promise<string> {
  const user = await ctx.user('asker');
  const reply = await user.register();
  check(reply !== undefined, 'PREFERRED was not answered, so the server alias is unknown');
  return reply.sender.alias;
}

export const DISCOVERY_CASES: ServerCase[] = [
  {
    id: 'II.i/discover-free',
    title: 'DISCOVER of a free alias is answered +OK',
    words:
      'Section III: "If a server receives a DISCOVER command with an alias it already knows, a ServerReply error is sent back ... Otherwise a ServerReply is sent with the receiving servers Server information for consideration as a neighbor."',
    level: 'MUST',
    expectation: 'A SERVERREPLY +OK echoing the DISCOVER, sent by unicast to the address in SERVER.',
    async run(ctx) {
      const fresh = await ctx.server('fresh', { channel: false });
      const reply = await fresh.discover();
      expectOk(reply, 'DISCOVER of a free alias');
      check(
        reply.command.kind === 'ServerCommand' && reply.command.command.verb === 'DISCOVER',
        `echo: ${shown(reply)}`,
      );
    },
  },
  {
    id: 'II.i/discover-unicast-info',
    title: "The DISCOVER reply carries the server's unicast listener",
    words:
      'Section II.i: "After the DISCOVER command is sent and a neighbor server replies, the ServerReply includes the unicast listener information"',
    level: 'MUST',
    expectation:
      "The reply's Server is the address the server listens on (the one the kit was given), and it comes from there.",
    needs: ['channel'],
    async run(ctx) {
      const fresh = await ctx.server('located');
      const reply = await fresh.discover(fresh.alias, true);
      expectOk(reply, 'DISCOVER on the channel');
      check(
        reply.sender.ip === ctx.target.ip && reply.sender.port === ctx.target.port,
        `the reply names ${reply.sender.ip}:${reply.sender.port}, not ${ctx.target.ip}:${ctx.target.port}`,
      );
    },
  },
  {
    id: 'II.i/discover-on-channel',
    title: 'A DISCOVER multicast on the channel is heard and answered',
    words:
      'Section II.i: "It should also begin listening on 230.0.0.1:8450; the multicast channel that is used for server communication. It then begins receiving broadcasts from that channel"',
    level: 'MUST',
    expectation: 'A DISCOVER sent only to the channel is answered by the server, by unicast.',
    needs: ['channel'],
    async run(ctx) {
      const fresh = await ctx.server('chan');
      const reply = await fresh.discover(fresh.alias, true);
      expectOk(reply, 'DISCOVER on the channel');
    },
  },
  {
    id: 'II.i/discover-own-alias',
    title: "DISCOVER of the server's own alias is refused",
    words:
      'Section II.i: "If a server receives a DISCOVER command and is either in conflict or knows a server with a conflict of that name, a ServerReply error is returned."',
    level: 'MUST',
    expectation: '-ERR echoing the DISCOVER.',
    async run(ctx) {
      const alias = await targetAlias(ctx);
      const rival = await ctx.server('rival', { channel: false });
      expectErr(await rival.discover(alias), `DISCOVER ${alias}`);
    },
  },
  {
    id: 'II.i/discover-known-alias',
    title: 'DISCOVER of an alias held by a live neighbour is refused',
    words:
      'Section II.i: "If a server receives a DISCOVER command and is either in conflict or knows a server with a conflict of that name, a ServerReply error is returned."',
    level: 'MUST',
    expectation:
      "-ERR to a second server claiming a neighbour's alias, while the neighbour answers (it refuses DISCOVERs of its alias).",
    async run(ctx) {
      const holder = await ctx.neighbour('owner');
      // A higher address: the holder's claim may be younger than a probing round, and the lower
      // address keeps an alias claimed twice at once (docs/protocol.md, Answering a DISCOVER).
      const rival = await ctx.server('rival', { channel: false, portAbove: holder.probe.address.port });
      const reply = await rival.discover(holder.alias);
      expectErr(reply, `DISCOVER ${holder.alias} from a second address`);
      ctx.note(
        `-ERR lists ${reply.servers.map((s) => `${s.alias} ${s.ip}:${s.port}`).join(', ') || 'no Server'}`,
      );
    },
  },
  {
    id: 'II.i/collision-names-holder',
    title: 'A collision -ERR names the holder, so the claimant can ask it',
    words:
      'docs/protocol.md, Answering a DISCOVER: "If H answers, S gets a -ERR that names H in its Server list, so S can ask H itself"',
    level: 'NON_STRICT',
    expectation: "The -ERR lists the holder's Server at its address.",
    async run(ctx) {
      const holder = await ctx.neighbour('holder');
      // A higher address: the holder's claim may be younger than a probing round, and the lower
      // address keeps an alias claimed twice at once (docs/protocol.md, Answering a DISCOVER).
      const rival = await ctx.server('rival', { channel: false, portAbove: holder.probe.address.port });
      const reply = await rival.discover(holder.alias);
      expectErr(reply, `DISCOVER ${holder.alias} from a second address`);
      check(
        reply.servers.some((s) => s.alias === holder.alias && s.port === holder.probe.address.port),
        `the -ERR does not name the holder: ${shown(reply)}`,
      );
    },
  },
  {
    id: 'II.i/greeting',
    title: 'The server greets an accepted claimant with a DISCOVER of its own alias',
    words:
      'docs/protocol.md, A neighbour only through a round trip: "A DISCOVER of a free alias is answered +OK, and the server then sends the claimant a DISCOVER of its own alias (a greeting)"',
    level: 'NON_STRICT',
    expectation: "After the +OK, a unicast DISCOVER naming the server's alias arrives from the server.",
    async run(ctx) {
      const alias = await targetAlias(ctx);
      const fresh = await ctx.server('greeted', { channel: false });
      expectOk(await fresh.discover(), 'DISCOVER');
      const greeting = await fresh.greeting();
      check(greeting !== undefined, 'no greeting came');
      check(
        greeting.command.verb === 'DISCOVER' && greeting.command.alias === alias,
        `greeting for another alias`,
      );
    },
  },
  {
    id: 'II.i/neighbour-after-round-trip',
    title: 'A claimant that answers the greeting becomes a neighbour',
    words:
      'docs/protocol.md, A neighbour only through a round trip: "only the claimant\'s answer to that, from its address, makes it a neighbour"',
    level: 'NON_STRICT',
    expectation:
      "The server lists the kit server as a neighbour: to a user registering afterwards (in the PREFERRED +OK or a KNOWNSERVERS), or in the KNOWNSERVERS it gossips to the kit server. (A user's list is bounded, so a server with many neighbours may leave a new one out of it.)",
    async run(ctx) {
      const peer = await ctx.neighbour('roundtrip');
      const listsPeer = (r: Received) =>
        r.from.ip === ctx.target.ip &&
        r.from.port === ctx.target.port &&
        r.packet?.kind === 'ServerCommand' &&
        r.packet.command.verb === 'KNOWNSERVERS' &&
        r.packet.command.servers.some((s) => s.alias === peer.alias);
      const gossiped = peer.probe.all(listsPeer).length > 0;
      const user = await ctx.user('watcher');
      const reply = await user.register();
      expectOk(reply, 'PREFERRED');
      const listed = (await user.failoverList(reply)).some((s) => s.alias === peer.alias);
      const told = await user.probe.next(listsPeer, gossiped || listed ? 0 : ctx.timing.wait * 2);
      check(
        gossiped || listed || told,
        `${peer.alias} is not among the neighbours, neither in the server's gossip nor to a user: ${shown(reply)}`,
      );
    },
  },
  {
    id: 'II.i/no-neighbour-without-round-trip',
    title: 'A DISCOVER alone does not make a neighbour',
    words:
      'docs/protocol.md, A neighbour only through a round trip: "A DISCOVER alone, perhaps forged, makes none and sets off no announcements."',
    level: 'NON_STRICT',
    expectation:
      'A claimant that ignores the greeting is not listed to a user registering afterwards, and its KNOWNUSERS is not learned.',
    async run(ctx) {
      const silent = await ctx.server('silent', { channel: false, answerDiscover: false });
      expectOk(await silent.discover(), 'DISCOVER');
      await silent.greeting();
      const hidden = ctx.alias('hidden');
      silent.users = [{ kind: 'UserNode', alias: hidden, ip: '127.0.0.1', port: 1999 }];
      silent.gossip();
      const user = await ctx.user('watcher');
      const reply = await user.register();
      expectOk(reply, 'PREFERRED');
      const servers = await user.failoverList(reply);
      check(!servers.some((s) => s.alias === silent.alias), `listed as a neighbour: ${shown(reply)}`);
      // Its gossip again, a few times while any answer to the greeting would arrive (a user is
      // told at most 16 neighbours, so the list alone cannot show it on a busy server).
      for (let round = 0; round < 3; round++) {
        silent.gossip();
        const find = await user.request({ verb: 'FIND', alias: hidden });
        check(
          !(find?.status === '+OK' && lists(find.users, hidden)),
          `its gossip was learned: ${shown(find)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, ctx.timing.wait / 2));
      }
    },
  },
];
