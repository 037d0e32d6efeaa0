/** SEND and the aliases (ALIAS, SETALIAS, REMOVE) of Section IV, as docs/protocol.md defines them. */
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

export const MESSAGE_CASES: ServerCase[] = [
  {
    id: 'IV/send-local',
    title: 'SEND to a user registered at the server is delivered to it',
    words:
      'docs/protocol.md, SEND: "If the recipient is registered at the sender\'s server, the server delivers the SEND echoed in a +OK to the recipient and answers the sender +OK"',
    level: 'NON_STRICT',
    expectation: 'The sender gets +OK; the recipient gets a +OK echoing the SEND with the text intact.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('recipient');
      const text = 'hi there';
      expectOk(await bob.request({ verb: 'SEND', alias: ann.alias, message: text }), 'SEND');
      const delivered = await ann.delivery('SEND', ctx.timing.wait * 2);
      const echoed = delivered?.command.kind === 'UserCommand' ? delivered.command.command : undefined;
      check(echoed?.verb === 'SEND' && echoed.message === text, `delivery: ${shown(delivered)}`);
    },
  },
  {
    id: 'IV/send-unknown',
    title: 'SEND to an alias nobody has is refused, or said to be not confirmed',
    words:
      'docs/protocol.md, SEND: "-ERR when nobody has the name (no neighbour to ask, or every server asked said so); and a +OK with no Server, whose Message starts not confirmed:, only where a server asked stayed silent"',
    level: 'NON_STRICT',
    expectation: '-ERR, or a +OK whose Message says the SEND is not confirmed; never a bare +OK.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const reply = await bob.request({ verb: 'SEND', alias: ctx.alias('nobody'), message: 'x' });
      check(
        reply?.status === '-ERR' || (reply?.status === '+OK' && reply.messages.length > 0),
        `SEND to nobody: expected -ERR or +OK saying it is not confirmed, got ${shown(reply)}`,
      );
    },
  },
  {
    id: 'IV/message-any-characters',
    title: 'A Message may hold any character but NUL, and arrives intact',
    words:
      'Section III: "Message Allow a message to be a null terminated string of any non-null characters."',
    level: 'MUST',
    expectation:
      'A SEND whose text has spaces, a tab, a line break, a keyword and non-ASCII letters is delivered with exactly that text.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const text = '  two  spaces\tTAB\nSERVER 1.2.3.4 MESSAGE é€ 🙂 ';
      expectOk(await bob.request({ verb: 'SEND', alias: ann.alias, message: text }), 'SEND');
      const delivered = await ann.delivery('SEND', ctx.timing.wait * 2);
      const echoed = delivered?.command.kind === 'UserCommand' ? delivered.command.command : undefined;
      check(echoed?.verb === 'SEND' && echoed.message === text, `delivery: ${shown(delivered)}`);
    },
  },
  {
    id: 'IV/alias-add',
    title: 'ALIAS adds an alias that FIND resolves to the sender',
    words:
      'docs/protocol.md, ALIAS: "ALIAS adds another alias for the sender, which FIND, SEND and KNOWNUSERS then resolve to the sender\'s address"',
    level: 'NON_STRICT',
    expectation: "+OK to ALIAS; FIND of the new alias names the sender's address.",
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const extra = ctx.alias('robert');
      expectOk(await bob.request({ verb: 'ALIAS', user: { ...bob.node, alias: extra } }), 'ALIAS');
      const find = await bob.request({ verb: 'FIND', alias: extra });
      expectOk(find, `FIND ${extra}`);
      check(lists(find.users, extra, bob.probe.address), `FIND ${extra}: ${shown(find)}`);
    },
  },
  {
    id: 'IV/alias-remove',
    title: 'REMOVE drops an alias added with ALIAS',
    words: 'docs/protocol.md, REMOVE: "REMOVE drops an alias added with ALIAS"',
    level: 'NON_STRICT',
    expectation: '+OK to REMOVE; FIND of the removed alias is no longer +OK.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const extra = ctx.alias('bobby');
      expectOk(await bob.request({ verb: 'ALIAS', user: { ...bob.node, alias: extra } }), 'ALIAS');
      expectOk(await bob.request({ verb: 'REMOVE', alias: extra }), 'REMOVE');
      const find = await bob.request({ verb: 'FIND', alias: extra });
      check(find?.status !== '+OK', `FIND after REMOVE: ${shown(find)}`);
    },
  },
  {
    id: 'IV/setalias',
    title: "SETALIAS changes the sender's alias",
    words: 'docs/protocol.md, SETALIAS: "SETALIAS changes the sender\'s alias"',
    level: 'NON_STRICT',
    expectation: '+OK; FIND of the new alias names the sender, and the old alias is free.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const next = ctx.alias('bert');
      expectOk(await bob.request({ verb: 'SETALIAS', user: { ...bob.node, alias: next } }), 'SETALIAS');
      const ann = await ctx.registered('ann');
      const find = await ann.request({ verb: 'FIND', alias: next });
      expectOk(find, `FIND ${next}`);
      check(lists(find.users, next, bob.probe.address), `FIND ${next}: ${shown(find)}`);
      const old = await ann.request({ verb: 'FIND', alias: bob.alias });
      check(old?.status !== '+OK', `FIND of the old alias: ${shown(old)}`);
    },
  },
  {
    id: 'IV/alias-other-address',
    title: 'ALIAS naming another address is refused',
    words:
      'docs/protocol.md, ALIAS: "The UserNode in ALIAS and SETALIAS must carry the sender\'s own address."',
    level: 'NON_STRICT',
    expectation: '-ERR; FIND of that alias is not +OK.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const extra = ctx.alias('mallory');
      const elsewhere = {
        ...bob.node,
        alias: extra,
        port: bob.node.port === 65535 ? 1000 : bob.node.port + 1,
      };
      expectErr(await bob.request({ verb: 'ALIAS', user: elsewhere }), 'ALIAS at another address');
      const find = await bob.request({ verb: 'FIND', alias: extra });
      check(find?.status !== '+OK', `FIND ${extra}: ${shown(find)}`);
    },
  },
];
