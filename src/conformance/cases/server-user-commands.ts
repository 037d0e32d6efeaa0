/** Section I.i and the user commands of Section IV, against a server: registration, FIND, EXIT, replies. */
import { type ServerReply, serialize } from '../../index.ts';
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

export const USER_COMMAND_CASES: ServerCase[] = [
  {
    id: 'I.i/preferred-registers',
    title: 'PREFERRED registers a user node and is answered +OK',
    words:
      'Section I.i: "PREFERRED - This command is used to connect a user node and server." Section III: "ServerReply This is for a server to reply to a request."',
    level: 'MUST',
    expectation: 'A SERVERREPLY +OK from the server, echoing the PREFERRED, sent to the address in USERNODE.',
    async run(ctx) {
      const bob = await ctx.user('newbie');
      const reply = await bob.register();
      expectOk(reply, 'PREFERRED');
      check(
        reply.command.kind === 'UserCommand' && reply.command.command.verb === 'PREFERRED',
        `echo: ${shown(reply)}`,
      );
      ctx.note(`server alias ${reply.sender.alias} at ${reply.sender.ip}:${reply.sender.port}`);
    },
  },
  {
    id: 'I.i/preferred-before-commands',
    title: 'A command from an unregistered node is not processed',
    words:
      'Section I.i: "Before a server will process commands from a user, it must issue this command telling the server who its preferred server is."',
    level: 'MUST',
    expectation:
      'CREATEROOM from a node that never sent PREFERRED creates no room (a registered node does not see it in LISTROOMS), whatever the answer.',
    async run(ctx) {
      const eve = await ctx.user('eve');
      const room = ctx.alias('ghost');
      const answer = await eve.request({ verb: 'CREATEROOM', room });
      ctx.note(`answer to the unregistered CREATEROOM: ${shown(answer)}`);
      check(answer?.status !== '+OK', `the unregistered CREATEROOM was answered +OK`);
      const ann = await ctx.registered('ann');
      const rooms = await ann.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(!rooms.messages.includes(room), `room ${room} exists: ${shown(rooms)}`);
    },
  },
  {
    id: 'I.i/preferred-alias-taken',
    title: 'PREFERRED of an alias registered at another address is refused',
    words:
      'docs/protocol.md, PREFERRED (user form): "-ERR when another address holds the alias, here or in the directory"',
    level: 'NON_STRICT',
    expectation:
      'The second node asking for the same alias gets -ERR; the first keeps it (FIND still names it).',
    async run(ctx) {
      const first = await ctx.registered('dup');
      const second = await ctx.user('other');
      const preferred = { kind: 'Server' as const, alias: 'preferred', ...ctx.target };
      // The second node's socket, the first node's alias.
      const clash = await second.request(
        serialize(second.packet({ verb: 'PREFERRED', server: preferred }, first.alias)),
        'PREFERRED',
      );
      expectErr(clash, `PREFERRED of ${first.alias} from a second address`);
      const find = await first.request({ verb: 'FIND', alias: first.alias });
      expectOk(find, `FIND ${first.alias}`);
      check(
        lists(find.users, first.alias, first.probe.address),
        `FIND names another address: ${shown(find)}`,
      );
    },
  },
  {
    id: 'I.i/find-registered',
    title: 'FIND of a user registered at the server is answered with its Server and UserNode',
    words:
      'Section II.vi: "If a server can fulfill the request and has not previously responded to this request, it replies directly to the UserNode ... The ServerReply includes both the Server information as well as the found UserNode."',
    level: 'MUST',
    expectation: '+OK to the asking node listing the server and the found UserNode at its address.',
    async run(ctx) {
      const carol = await ctx.registered('carol');
      const bob = await ctx.registered('finder');
      const reply = await bob.request({ verb: 'FIND', alias: carol.alias });
      expectOk(reply, `FIND ${carol.alias}`);
      check(
        lists(reply.users, carol.alias, carol.probe.address),
        `no UserNode ${carol.alias}: ${shown(reply)}`,
      );
      check(
        reply.servers.some((s) => s.ip === ctx.target.ip && s.port === ctx.target.port),
        `no Server at ${ctx.target.ip}:${ctx.target.port}: ${shown(reply)}`,
      );
    },
  },
  {
    id: 'I.i/find-unknown',
    title: "FIND of an alias nobody has is answered -ERR by the user's own server",
    words:
      'docs/protocol.md, Finding a user across servers: "The user\'s own server always answers its user: +OK with the location if it knows the alias, else -ERR"',
    level: 'NON_STRICT',
    expectation: '-ERR with a Message.',
    async run(ctx) {
      const bob = await ctx.registered('seeker');
      const reply = await bob.request({ verb: 'FIND', alias: ctx.alias('nobody') });
      expectErr(reply, 'FIND of an unknown alias');
      check(reply.messages.length > 0, `-ERR without a Message: ${shown(reply)}`);
    },
  },
  {
    id: 'II.v/exit',
    title: 'EXIT deregisters the user node',
    words: 'Section II.v: "The UserNode then disconnects, by way of an EXIT command, from its backup Server"',
    level: 'MUST',
    expectation: 'EXIT is answered; afterwards FIND of that alias from another node no longer names it.',
    async run(ctx) {
      const dave = await ctx.registered('departed');
      const bob = await ctx.registered('bob');
      const exit = await dave.request({ verb: 'EXIT' });
      check(exit !== undefined, 'EXIT was not answered');
      ctx.note(`EXIT answered ${exit.status}`);
      const find = await bob.request({ verb: 'FIND', alias: dave.alias });
      check(!(find?.status === '+OK' && lists(find.users, dave.alias)), `FIND after EXIT: ${shown(find)}`);
    },
  },
  {
    id: 'IV/exit-ok',
    title: 'EXIT is answered +OK',
    words: 'docs/protocol.md, EXIT: "The answer is always +OK"',
    level: 'NON_STRICT',
    expectation: '+OK echoing the EXIT.',
    async run(ctx) {
      const dave = await ctx.registered('quitter');
      expectOk(await dave.request({ verb: 'EXIT' }), 'EXIT');
    },
  },
  {
    id: 'III/reply-echoes-command',
    title: 'A ServerReply names the replying server and echoes the command',
    words:
      'Section III: "ServerReply ... It begins with the server replying and the status of the reply. Next is the command it is replying to (usually verbatim from the request for simplicity)."',
    level: 'MUST',
    expectation:
      "The reply to LISTROOMS comes from the server's address, its Server names that address, and its Command is the LISTROOMS with our UserNode.",
    async run(ctx) {
      const bob = await ctx.registered('echoer');
      const reply = await bob.request({ verb: 'LISTROOMS' });
      check(reply !== undefined, 'LISTROOMS was not answered');
      check(
        reply.sender.ip === ctx.target.ip && reply.sender.port === ctx.target.port,
        `the reply's Server is ${reply.sender.ip}:${reply.sender.port}`,
      );
      check(
        reply.command.kind === 'UserCommand' && reply.command.sender.alias === bob.alias,
        `echoed command: ${shown(reply)}`,
      );
    },
  },
  {
    id: 'III/err-has-message',
    title: 'Every -ERR carries a Message saying why',
    words:
      'docs/protocol.md, Checks on every datagram: "Every -ERR a server sends carries one human-readable Message saying why."',
    level: 'NON_STRICT',
    expectation: 'The -ERR to JOINROOM of a missing room has exactly one Message.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const reply = await bob.request({ verb: 'JOINROOM', room: ctx.alias('none') });
      expectErr(reply, 'JOINROOM of a missing room');
      check(reply.messages.length === 1, `${reply.messages.length} Messages: ${shown(reply)}`);
    },
  },
  {
    id: 'IV/list',
    title: 'LIST lists the users the server knows',
    words:
      'docs/protocol.md, LIST: "Every user the server knows: its own (with extra aliases) and its directory\'s, in one reply datagram"',
    level: 'NON_STRICT',
    expectation: '+OK listing both registered kit users at their addresses.',
    async run(ctx) {
      const ann = await ctx.registered('ann');
      const bob = await ctx.registered('bob');
      const reply: ServerReply | undefined = await bob.request({ verb: 'LIST' });
      expectOk(reply, 'LIST');
      // A LIST too long for one datagram is cut, with a Message saying so: then the kit's users
      // may be among those left out (other cases' users are registered too).
      const cut = reply.messages.length > 0 && reply.users.length > 0;
      if (cut) ctx.note(`the list was cut: ${reply.messages.join(' ')}`);
      check(cut || lists(reply.users, ann.alias, ann.probe.address), `${ann.alias} missing: ${shown(reply)}`);
      check(cut || lists(reply.users, bob.alias, bob.probe.address), `${bob.alias} missing: ${shown(reply)}`);
    },
  },
];
