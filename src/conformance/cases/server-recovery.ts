/** Sections II.iii and II.v, server side: guests on a backup, and the server PREFERRED of a recovered server. */
import { type Server, type ServerReply, serialize } from '../../index.ts';
import type { KitServer } from '../actors/kit-server.ts';
import { type KitUser, replyOf } from '../actors/kit-user.ts';
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

const LISTING =
  'Section II.v: "once it comes online after a fault it will contact its old neighbors with the PREFERRED command. The servers will return a ServerReply listing all UserNodes that prefer the recovered server who are currently under their jurisdiction."';

/** A kit user registered with the server under test as a guest preferring `home`. */
async function guestOf(ctx: ServerCaseContext, name: string, home: Server): Promise<KitUser> {
  const guest = await ctx.user(name);
  expectOk(await guest.register(home), `PREFERRED naming ${home.alias}`);
  return guest;
}

/** The server PREFERRED a recovered server sends: naming itself. */
function callHome(home: KitServer) {
  return home.request({ verb: 'PREFERRED', server: home.self });
}

export const RECOVERY_CASES: ServerCase[] = [
  {
    id: 'II.iii/guest-accepted',
    title: 'A user node whose server failed is taken as a guest',
    words:
      'Section II.iii: "it assumes the server has failed and proceeds to attempt to connect to a new server based successively on its current list of the failed server\'s neighbors ... Once connected, it sends the PREFERRED command with the information about the previous server"',
    level: 'MUST',
    expectation: '+OK to a PREFERRED naming another server (a neighbour) as the preferred one.',
    async run(ctx) {
      const home = await ctx.neighbour('home');
      await guestOf(ctx, 'visitor', home.self);
    },
  },
  {
    id: 'II.v/preferred-lists-guests',
    title: 'A recovered server asking PREFERRED gets the users that prefer it',
    words: LISTING,
    level: 'MUST',
    expectation: "+OK to the kit server's PREFERRED listing the guest that named it, at the guest's address.",
    async run(ctx) {
      const home = await ctx.neighbour('home');
      const guest = await guestOf(ctx, 'guest', home.self);
      const reply = await callHome(home);
      expectOk(reply, 'server PREFERRED');
      check(lists(reply.users, guest.alias, guest.probe.address), `the guest is not listed: ${shown(reply)}`);
    },
  },
  {
    id: 'II.v/preferred-lists-only-its-guests',
    title: 'The PREFERRED answer lists only the users that prefer the asking server',
    words: LISTING,
    level: 'MUST',
    expectation: 'A user registered at home, and a guest preferring another server, are not listed.',
    async run(ctx) {
      const [home, other] = await Promise.all([ctx.neighbour('home'), ctx.neighbour('other')]);
      const resident = await ctx.registered('resident');
      const elsewhere = await guestOf(ctx, 'elsewhere', other.self);
      const reply = await callHome(home);
      expectOk(reply, 'server PREFERRED');
      check(!lists(reply.users, resident.alias), `lists a user at home: ${shown(reply)}`);
      check(!lists(reply.users, elsewhere.alias), `lists a guest of another server: ${shown(reply)}`);
    },
  },
  {
    id: 'II.v/preferred-stranger-refused',
    title: 'A server PREFERRED from a server that is not a neighbour is refused',
    words:
      'docs/protocol.md, PREFERRED (server form): "The receiver answers only a neighbour that holds that alias at the asking address ... anyone else gets -ERR"',
    level: 'NON_STRICT',
    expectation: '-ERR, listing no user.',
    async run(ctx) {
      const home = await ctx.neighbour('home');
      await guestOf(ctx, 'guest', home.self);
      const impostor = await ctx.server('impostor', { channel: false });
      // The home alias, claimed from the impostor's own address, which is no neighbour.
      const claimed = { ...impostor.self, alias: home.alias };
      const text = serialize(impostor.packet({ verb: 'PREFERRED', server: claimed }, home.alias));
      let reply: ServerReply | undefined;
      for (let attempt = 0; attempt < ctx.timing.tries && !reply; attempt++) {
        impostor.send(text);
        reply = replyOf(await impostor.probe.next(impostor.isReplyTo('PREFERRED'), ctx.timing.wait));
      }
      expectErr(reply, 'server PREFERRED from a stranger');
      check(reply.users.length === 0, `lists users: ${shown(reply)}`);
    },
  },
  {
    id: 'II.v/recovered-at-new-address',
    title: 'A server back at a new address with its old alias gets its guests back',
    words:
      'Section I.i: "if its preferred server comes online after failure at a different location but with the same alias, to find it." docs/protocol.md, Answering a DISCOVER: "If H does not answer, H is forgotten and S accepted. A server restarted on a new port therefore gets its alias back"',
    level: 'NON_STRICT',
    expectation:
      'The first kit server falls silent; a second one claims its alias from a new port (+OK once the old one does not answer), becomes a neighbour, and its PREFERRED lists the guest.',
    async run(ctx) {
      const before = await ctx.neighbour('home');
      const guest = await guestOf(ctx, 'returning', before.self);
      // The old server dies: no more gossip, no answers.
      before.stopGossip();
      before.answerDiscover = false;
      await before.probe.close();
      const after = await ctx.server('home', { channel: false });
      // Same alias: ctx.server('home') gives the same alias from a new socket.
      check(after.alias === before.alias, 'the kit could not reuse the alias');
      const reply = await after.becomeNeighbour();
      expectOk(reply, `DISCOVER ${after.alias} from its new address`);
      const call = await callHome(after);
      expectOk(call, 'server PREFERRED from the new address');
      check(lists(call.users, guest.alias, guest.probe.address), `the guest is not listed: ${shown(call)}`);
    },
  },
];
