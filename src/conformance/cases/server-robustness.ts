/**
 * What a server must survive or refuse: garbage, oversize and NUL-padded datagrams, senders that
 * are not their source, unsolicited replies, repeats, and answers bigger than what asked.
 */
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectOk, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

export const ROBUSTNESS_CASES: ServerCase[] = [
  {
    id: 'IV/garbage-ignored',
    title: 'A datagram that is no packet gets no answer, and the server goes on',
    words:
      'docs/protocol.md, Checks on every datagram: "One that does not parse is dropped with a warning event; no reply is sent."',
    level: 'NON_STRICT',
    expectation:
      'Random bytes, a lone keyword and invalid UTF-8 get no answer; a LIST right after is answered.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      bob.send(new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x80]));
      bob.send('HELLO');
      bob.send(
        `USERNODE ${bob.alias} 127.0.0.1 ${bob.probe.address.port} CSEND MESSAGE \xff`.replace(
          '\xff',
          '\u{10FFFF}',
        ),
      );
      bob.send(
        Buffer.concat([
          Buffer.from(`${bob.text({ verb: 'SEND', alias: bob.alias, message: 'a' }).slice(0, -2)}`),
          Buffer.from([0xc0, 0xaf, 0]),
        ]),
      );
      const before = bob.probe.received.length;
      const list = await bob.request({ verb: 'LIST' });
      expectOk(list, 'LIST after garbage');
      const others = bob.probe.received
        .slice(0, before)
        .filter((r) => r.packet?.kind === 'ServerReply' && !r.text.includes(' PREFERRED '));
      check(others.length === 0, `garbage was answered: ${others[0]?.text}`);
    },
  },
  {
    id: 'IV/nul-after-command',
    title: 'A command followed by NUL is not a packet',
    words:
      'docs/protocol.md, decision 5: "NUL appears only as a Message terminator. Anywhere else (between tokens, after a Command, padding a datagram) it is UNEXPECTED_CHARACTER."',
    level: 'NON_STRICT',
    expectation: 'CREATEROOM followed by a NUL creates no room.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const room = ctx.alias('nul');
      bob.send(`${bob.text({ verb: 'CREATEROOM', room })}\0`);
      const rooms = await bob.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(!rooms.messages.includes(room), `room ${room} was created`);
    },
  },
  {
    id: 'IV/large-datagram-read',
    title: 'A datagram over 1400 bytes is read',
    words:
      'docs/protocol.md, Timers and limits: "limits.datagramBytes | 65507 | bytes of a datagram received: a node sends at most 1,400 bytes and accepts up to 65,507"',
    level: 'NON_STRICT',
    expectation: 'A CREATEROOM padded to 1,500 bytes creates its room.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const room = ctx.alias('big');
      bob.send(bob.text({ verb: 'CREATEROOM', room }).padEnd(1500, ' '));
      const rooms = await bob.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(rooms.messages.includes(room), `room ${room} was not created`);
    },
  },
  {
    id: 'IV/largest-datagram',
    title: 'The largest datagram the server reads',
    words:
      'docs/protocol.md, Timers and limits: "A reference node sends at most 1,400 bytes and accepts up to 65,507 (the most UDP carries)."',
    level: 'INFO',
    expectation: 'Reported: whether a LIST padded to 65,507 bytes is answered.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const reply = await bob.request(bob.text({ verb: 'LIST' }).padEnd(65_507, ' '), 'LIST', { tries: 1 });
      ctx.note(reply ? 'a 65,507-byte LIST was answered' : 'a 65,507-byte LIST was not answered');
    },
  },
  {
    id: 'III/sender-is-source',
    title: 'A user command naming another address than its source is dropped',
    words:
      'docs/protocol.md, Checks on every datagram: "A user command whose UserNode address is not the datagram\'s source is accepted only if it is a FIND or SEND relayed by a neighbour server ... anything else is dropped"',
    level: 'NON_STRICT',
    expectation:
      "CREATEROOM in a registered user's name, sent from another socket, creates no room and gets no answer at either address.",
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const mallory = await ctx.user('mallory');
      const room = ctx.alias('forged');
      mallory.send(bob.text({ verb: 'CREATEROOM', room }));
      mallory.send(bob.text({ verb: 'CREATEROOM', room }));
      const rooms = await bob.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(!rooms.messages.includes(room), `room ${room} was created by a forged datagram`);
      check(bob.probe.all(bob.isReplyTo('CREATEROOM')).length === 0, 'the forged CREATEROOM was answered');
    },
  },
  {
    id: 'III/unsolicited-reply-ignored',
    title: 'A ServerReply the server did not ask for gets no answer',
    words:
      'docs/protocol.md, Checks on every datagram: "A ServerReply ... is used only when it answers one of this server\'s own commands ... Others are ignored."',
    level: 'NON_STRICT',
    expectation:
      "A SERVERREPLY echoing someone else's command is not answered; the server still answers a LIST.",
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const peer = await ctx.server('noisy', { channel: false });
      peer.reply('+OK', bob.packet({ verb: 'LIST' }), ctx.target);
      peer.reply('-ERR', peer.packet({ verb: 'DISCOVER', alias: peer.alias }), ctx.target, ['no']);
      expectOk(await bob.request({ verb: 'LIST' }), 'LIST');
      await ctx.quiet(ctx.timing.wait / 2);
      check(peer.probe.received.length === 0, `answered: ${peer.probe.received[0]?.text}`);
    },
  },
  {
    id: 'III/repeat-acted-once',
    title: 'A repeated request is answered again but acted on once',
    words:
      'docs/protocol.md, Retries and repeated requests: "an identical request (same bytes, same address) within the window gets the same replies again and has no other effect. So a retried SEND or CSEND is delivered once"',
    level: 'NON_STRICT',
    expectation: 'The same SEND sent twice is answered +OK twice and delivered once.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const send = { verb: 'SEND' as const, alias: ann.alias, message: 'only once' };
      expectOk(await bob.request(send), 'first SEND');
      expectOk(await bob.request(send), 'repeated SEND');
      check(await ann.delivery('SEND', ctx.timing.wait * 2), 'not delivered');
      expectOk(await bob.request({ verb: 'LIST' }), 'LIST');
      const again = await ann.delivery('SEND', ctx.timing.wait / 2);
      check(again === undefined, `delivered twice: ${shown(again)}`);
    },
  },
  {
    id: 'III/no-amplification',
    title: 'An unregistered source is never sent more than three times what it sent',
    words:
      'docs/protocol.md, Answers to unknown sources, and padding: "a forged datagram never makes the server send its victim more than three times what it carried"',
    level: 'NON_STRICT',
    expectation:
      'Short requests from an unregistered address (LIST, FIND, ULIST) get at most three times their bytes back.',
    async run(ctx) {
      const eve = await ctx.user('unknown');
      const requests = [
        { verb: 'LIST' as const },
        { verb: 'FIND' as const, alias: 'x' },
        { verb: 'ULIST' as const, room: 'r' },
      ];
      let sent = 0;
      for (const command of requests) {
        const text = eve.text(command);
        sent += Buffer.byteLength(text);
        eve.send(text);
      }
      await ctx.quiet(ctx.timing.wait);
      const received = eve.probe.received.reduce((sum, r) => sum + r.data.length, 0);
      ctx.note(`sent ${sent} bytes, received ${received}`);
      check(received <= 3 * sent, `received ${received} bytes for ${sent} sent`);
    },
  },
];
