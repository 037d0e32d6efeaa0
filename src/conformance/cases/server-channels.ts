/** Section II.ii: JOINCHANNEL, answered +OK or -ERR; the new channel is listened on and gossiped to. */
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

const ANSWER =
  'Section III: "A JOINCHANNEL command is issued when a server wishes to form a private channel with other servers. Any server may issues this command to any other server but the recipient must ServerReply either +OK or -ERR to let the requesting server know its intentions."';

export const CHANNEL_CASES: ServerCase[] = [
  {
    id: 'II.ii/joinchannel-answered',
    title: 'JOINCHANNEL from a neighbour is answered +OK or -ERR',
    words: ANSWER,
    level: 'MUST',
    expectation: 'A SERVERREPLY echoing the JOINCHANNEL, with either status.',
    async run(ctx) {
      const peer = await ctx.neighbour('asking', { channel: false });
      const invited = ctx.kitChannel();
      const reply = await peer.request({ verb: 'JOINCHANNEL', ...invited });
      check(reply, 'JOINCHANNEL was not answered');
      ctx.note(`answered ${reply.status}`);
    },
  },
  {
    id: 'II.ii/joinchannel-stranger-answered',
    title: 'JOINCHANNEL from any server is answered',
    words: ANSWER,
    level: 'MUST',
    expectation: 'A server that is not a neighbour still gets +OK or -ERR.',
    async run(ctx) {
      const stranger = await ctx.server('outsider', { channel: false });
      const reply = await stranger.request({ verb: 'JOINCHANNEL', ...ctx.kitChannel() });
      check(reply, 'JOINCHANNEL from a stranger was not answered');
      ctx.note(`answered ${reply.status}`);
    },
  },
  {
    id: 'II.ii/joinchannel-listens',
    title: 'After +OK the server listens on the new channel',
    words:
      'Section II.ii: "This Server would send a JOINCHANNEL command to its neighbors who it wishes to invite. These neighbors would then begin listening on the new multicast channel."',
    level: 'MUST',
    expectation:
      'After +OK, a DISCOVER multicast only on the new channel is answered. (A -ERR is noted and passes.)',
    async run(ctx) {
      const peer = await ctx.neighbour('inviter', { channel: false });
      const invited = ctx.kitChannel();
      const reply = await peer.request({ verb: 'JOINCHANNEL', ...invited });
      check(reply, 'JOINCHANNEL was not answered');
      if (reply.status === '-ERR') {
        ctx.note(`refused: ${reply.messages.join(' ')}`);
        return;
      }
      const newcomer = await ctx.server('newcomer', { channel: false });
      await newcomer.probe.join(invited);
      const answer = await newcomer.request({ verb: 'DISCOVER', alias: newcomer.alias }, { via: invited });
      check(answer, 'a DISCOVER on the new channel was not answered');
    },
  },
  {
    id: 'II.ii/joinchannel-gossip',
    title: 'After +OK the server gossips on the new channel too',
    words:
      'docs/protocol.md, JOINCHANNEL: "It keeps every channel it was already on; from then on its gossip goes to all of them."',
    level: 'NON_STRICT',
    expectation: 'A KNOWNUSERS from the server arrives on the new channel within a gossip interval.',
    async run(ctx) {
      const peer = await ctx.neighbour('gossiper', { channel: false });
      const invited = ctx.kitChannel();
      await peer.probe.join(invited);
      const reply = await peer.request({ verb: 'JOINCHANNEL', ...invited });
      check(reply?.status === '+OK', `JOINCHANNEL: ${shown(reply)}`);
      await ctx.registered('bob'); // a change: gossip goes out at once
      const heard = await peer.probe.next(
        (r) =>
          r.channel?.ip === invited.ip &&
          r.channel.port === invited.port &&
          r.from.port === ctx.target.port &&
          r.packet?.kind === 'ServerCommand' &&
          r.packet.command.verb === 'KNOWNUSERS',
        ctx.gossipInterval * 1.5 + ctx.timing.wait,
      );
      check(heard, 'no KNOWNUSERS on the new channel');
    },
  },
  {
    id: 'II.ii/joinchannel-keeps-channel',
    title: 'The server keeps listening on its first channel',
    words:
      'docs/protocol.md, JOINCHANNEL: "The receiver joins the channel and answers +OK once it has. It keeps every channel it was already on"',
    level: 'NON_STRICT',
    expectation:
      'After +OK to a JOINCHANNEL, a DISCOVER multicast on the original channel is still answered.',
    needs: ['channel'],
    async run(ctx) {
      const peer = await ctx.neighbour('keeper', { channel: false });
      const reply = await peer.request({ verb: 'JOINCHANNEL', ...ctx.kitChannel() });
      check(reply?.status === '+OK', `JOINCHANNEL: ${shown(reply)}`);
      const late = await ctx.server('late');
      check(await late.discover(late.alias, true), 'a DISCOVER on the original channel was not answered');
    },
  },
  {
    id: 'II.ii/joinchannel-not-multicast',
    title: 'JOINCHANNEL to an address that is not multicast is refused',
    words:
      'docs/protocol.md, JOINCHANNEL: "It answers -ERR with the reason ... for an address outside 224.0.0.0/4"',
    level: 'NON_STRICT',
    expectation: '-ERR.',
    async run(ctx) {
      const peer = await ctx.neighbour('badaddr', { channel: false });
      expectErr(
        await peer.request({ verb: 'JOINCHANNEL', ip: '10.0.0.9', port: 8450 }),
        'JOINCHANNEL 10.0.0.9',
      );
    },
  },
  {
    id: 'II.ii/joinchannel-stranger-refused',
    title: 'JOINCHANNEL from a server that is not a neighbour is refused',
    words:
      'docs/protocol.md, JOINCHANNEL: "It answers -ERR with the reason when the sender is not its neighbour"',
    level: 'NON_STRICT',
    expectation: '-ERR.',
    async run(ctx) {
      const stranger = await ctx.server('stranger', { channel: false });
      expectErr(
        await stranger.request({ verb: 'JOINCHANNEL', ...ctx.kitChannel() }),
        'JOINCHANNEL from a stranger',
      );
    },
  },
];
