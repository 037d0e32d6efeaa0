/** Section I.ii and II.iv: KNOWNUSERS and KNOWNSERVERS between servers, and KNOWNSERVERS to user nodes. */

import { type ConformanceCase, check } from '../case.ts';
import type { Received } from '../probe.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

/**
 * The most neighbours a user is told (docs/protocol.md: "A user is told at most 16 neighbours"):
 * a server whose other neighbours fill that list may leave a new one out of it.
 */
const USER_LIST_BOUND = 16;

/** Matches gossip `verb` from the server under test, on the channel or by unicast. */
function gossipFrom(
  ctx: ServerCaseContext,
  verb: 'KNOWNUSERS' | 'KNOWNSERVERS',
  where?: 'channel' | 'unicast',
) {
  return (r: Received) =>
    r.from.ip === ctx.target.ip &&
    r.from.port === ctx.target.port &&
    r.packet?.kind === 'ServerCommand' &&
    r.packet.command.verb === verb &&
    (where === undefined || (where === 'channel') === (r.channel !== undefined));
}

const usersOf = (r: Received | undefined) =>
  r?.packet?.kind === 'ServerCommand' && r.packet.command.verb === 'KNOWNUSERS' ? r.packet.command.users : [];
const serversOf = (r: Received | undefined) =>
  r?.packet?.kind === 'ServerCommand' && r.packet.command.verb === 'KNOWNSERVERS'
    ? r.packet.command.servers
    : [];

export const GOSSIP_CASES: ServerCase[] = [
  {
    id: 'I.ii/knownusers',
    title: 'The server tells the channel which users are connected to it (KNOWNUSERS)',
    words:
      'Section I.ii: "KNOWNUSERS - This command is sent between servers to inform each other about the users who are connected to them." Section II.i: "Other commands such as KNOWNUSERS, KNOWNSERVERS and PREFERRED which are meant for all neighbors of a server may be multicast to all channels that a server belongs to."',
    level: 'MUST',
    expectation:
      'Within a gossip interval of a kit user registering, a KNOWNUSERS from the server on the channel lists it.',
    needs: ['channel'],
    async run(ctx) {
      const ear = await ctx.server('ear');
      const bob = await ctx.registered('listed');
      const heard = await ear.probe.next(
        (r) => gossipFrom(ctx, 'KNOWNUSERS', 'channel')(r) && lists(usersOf(r), bob.alias, bob.probe.address),
        ctx.gossipInterval * 1.5 + ctx.timing.wait,
      );
      check(heard, `no KNOWNUSERS on the channel listed ${bob.alias}`);
    },
  },
  {
    id: 'I.ii/knownusers-after-exit',
    title: 'A user that left is no longer in KNOWNUSERS',
    words:
      'docs/protocol.md, EXIT: "Deregisters the sender: it leaves every room, its aliases are released, and the next gossip no longer lists it."',
    level: 'NON_STRICT',
    expectation: 'No KNOWNUSERS sent after the EXIT was answered lists the user.',
    needs: ['channel'],
    async run(ctx) {
      const ear = await ctx.server('ear');
      const bob = await ctx.registered('leaver');
      const listed = (r: Received) =>
        gossipFrom(ctx, 'KNOWNUSERS', 'channel')(r) && lists(usersOf(r), bob.alias);
      check(
        await ear.probe.next(listed, ctx.gossipInterval * 1.5 + ctx.timing.wait),
        `${bob.alias} was never gossiped`,
      );
      expectOk(await bob.request({ verb: 'EXIT' }), 'EXIT');
      const after = ear.probe.received.length;
      // A gossip round, whole: the next KNOWNUSERS after EXIT, and any parts of it.
      await ear.probe.next(
        (r) => gossipFrom(ctx, 'KNOWNUSERS', 'channel')(r) && ear.probe.received.indexOf(r) >= after,
        ctx.gossipInterval * 1.5 + ctx.timing.wait,
      );
      await ctx.quiet(ctx.timing.wait / 2);
      const stale = ear.probe.received.slice(after).filter(listed);
      check(stale.length === 0, `still listed after EXIT: ${stale[0]?.text}`);
    },
  },
  {
    id: 'I.ii/knownservers',
    title: 'The server tells the channel who its neighbours are (KNOWNSERVERS)',
    words:
      'Section I.ii: "KNOWNSERVERS - This command is sent between servers to inform each other about who their neighbors are."',
    level: 'MUST',
    expectation:
      'Within a gossip interval of a kit server becoming its neighbour, a KNOWNSERVERS from the server lists it.',
    needs: ['channel'],
    async run(ctx) {
      const peer = await ctx.neighbour('announced');
      const heard =
        peer.probe.all(
          (r) => gossipFrom(ctx, 'KNOWNSERVERS')(r) && serversOf(r).some((s) => s.alias === peer.alias),
        )[0] ??
        (await peer.probe.next(
          (r) => gossipFrom(ctx, 'KNOWNSERVERS')(r) && serversOf(r).some((s) => s.alias === peer.alias),
          ctx.gossipInterval * 1.5 + ctx.timing.wait,
        ));
      check(heard, `no KNOWNSERVERS listed ${peer.alias}`);
    },
  },
  {
    id: 'I.ii/first-gossip-answered',
    title: "A new neighbour's first gossip is answered with the server's own, by unicast",
    words:
      'docs/protocol.md, KNOWNUSERS and KNOWNSERVERS: "a new neighbour\'s first gossip is answered with the receiver\'s own KNOWNUSERS and KNOWNSERVERS by unicast"',
    level: 'NON_STRICT',
    expectation:
      "After the round trip, the kit server's first KNOWNUSERS is answered with a unicast KNOWNUSERS and KNOWNSERVERS.",
    async run(ctx) {
      const peer = await ctx.server('peer', { channel: false });
      expectOk(await peer.discover(), 'DISCOVER');
      check(await peer.greeting(), 'no greeting came');
      // The greeting was answered by the kit server; give the answer a moment to be taken.
      await ctx.quiet(ctx.timing.wait / 5);
      peer.gossip();
      const users = await peer.probe.next(gossipFrom(ctx, 'KNOWNUSERS', 'unicast'), ctx.timing.wait * 2);
      const servers = await peer.probe.next(gossipFrom(ctx, 'KNOWNSERVERS', 'unicast'), ctx.timing.wait * 2);
      check(
        users && servers,
        `got ${users ? '' : 'no '}KNOWNUSERS and ${servers ? '' : 'no '}KNOWNSERVERS by unicast`,
      );
    },
  },
  {
    id: 'I.ii/knownusers-learned',
    title: "Users in a neighbour's KNOWNUSERS are found by FIND",
    words:
      'docs/protocol.md, KNOWNUSERS and KNOWNSERVERS: "records each listed user in its directory as hosted by the sender"',
    level: 'NON_STRICT',
    expectation: 'FIND of a user a kit neighbour gossiped is +OK naming that neighbour and the user.',
    async run(ctx) {
      const peer = await ctx.neighbour('peer');
      const remote = { kind: 'UserNode' as const, alias: ctx.alias('remote'), ip: '127.0.0.1', port: 1999 };
      peer.users = [remote];
      peer.gossip();
      const bob = await ctx.registered('bob');
      let find = await bob.request({ verb: 'FIND', alias: remote.alias });
      // Gossip is not acknowledged: ask again once, after another round, if the first was early.
      if (find?.status !== '+OK') {
        peer.gossip();
        await ctx.quiet(ctx.timing.wait / 2);
        find = await bob.request({ verb: 'FIND', alias: remote.alias });
      }
      expectOk(find, `FIND ${remote.alias}`);
      check(lists(find.users, remote.alias, remote), `FIND: ${shown(find)}`);
      check(
        find.servers.some((s) => s.alias === peer.alias),
        `FIND does not name ${peer.alias}: ${shown(find)}`,
      );
    },
  },
  {
    id: 'II.iv/knownservers-to-user',
    title: 'A registered user node is sent KNOWNSERVERS with the neighbours',
    words:
      'Section II.iv: "When a server wishes to tell its attached nodes about its neighboring servers, it sends a KNOWNSERVERS Command to the UserNode with the list of known Servers." docs/protocol.md: "a server sends its neighbour list by unicast, after a user registers and whenever its neighbours change"',
    level: 'NON_STRICT',
    expectation:
      "After PREFERRED and the user's next request (a LIST, which pays for what an unpadded PREFERRED could not), a unicast KNOWNSERVERS from the server arrives at the user's address.",
    async run(ctx) {
      const user = await ctx.registered('told');
      // A user node is heard from again soon (its keep-alive): a server whose answer to a short
      // PREFERRED from a new address had to leave the KNOWNSERVERS out sends it then.
      user.send({ verb: 'LIST' });
      const told = await user.probe.next(gossipFrom(ctx, 'KNOWNSERVERS', 'unicast'), ctx.timing.wait * 2);
      check(told, 'no KNOWNSERVERS came after registering');
    },
  },
  {
    id: 'II.iv/knownservers-on-change',
    title: 'Registered users are told of a new neighbour',
    words:
      'docs/protocol.md, KNOWNUSERS and KNOWNSERVERS: "a server sends its neighbour list by unicast, after a user registers and whenever its neighbours change"',
    level: 'NON_STRICT',
    expectation: `A user registered before a kit server becomes a neighbour receives a KNOWNSERVERS listing it (or, from a server with many neighbours, one already listing the ${USER_LIST_BOUND} a user is told at most).`,
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const toBob = gossipFrom(ctx, 'KNOWNSERVERS', 'unicast');
      for (const earlier of bob.probe.all(toBob)) earlier.taken = true;
      const peer = await ctx.neighbour('peer');
      const told = await bob.probe.next(
        (r) =>
          toBob(r) &&
          (serversOf(r).some((s) => s.alias === peer.alias) || serversOf(r).length >= USER_LIST_BOUND),
        ctx.gossipInterval + ctx.timing.wait * 2,
      );
      check(told, `no KNOWNSERVERS listing ${peer.alias} came`);
    },
  },
];
