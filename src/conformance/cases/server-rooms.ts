/** Rooms (Section IV's CREATEROOM, JOINROOM, LEAVEROOM, ULIST, LISTROOMS, CSEND) as docs/protocol.md defines them. */
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectErr, expectOk, lists, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

const ROOMS = 'docs/protocol.md, CREATEROOM, JOINROOM, LEAVEROOM';

export const ROOM_CASES: ServerCase[] = [
  {
    id: 'IV/createroom',
    title: 'CREATEROOM creates a room that LISTROOMS lists',
    words: `${ROOMS}: "CREATEROOM creates a room with the sender as its first member"; LISTROOMS: "One Message per room of the network, as this server knows it"`,
    level: 'NON_STRICT',
    expectation: '+OK to CREATEROOM; LISTROOMS from another node then has a Message with the room name.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const room = ctx.alias('created');
      expectOk(await bob.request({ verb: 'CREATEROOM', room }), 'CREATEROOM');
      const ann = await ctx.registered('ann');
      const rooms = await ann.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(rooms.messages.includes(room), `LISTROOMS lacks ${room}: ${shown(rooms)}`);
    },
  },
  {
    id: 'IV/createroom-exists',
    title: 'CREATEROOM of an existing room is refused',
    words: `${ROOMS}: "room lobby exists | CREATEROOM of a room that exists on any server this one knows of"`,
    level: 'NON_STRICT',
    expectation: '-ERR to the second node creating the same room.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const room = ctx.alias('lobby');
      expectOk(await bob.request({ verb: 'CREATEROOM', room }), 'CREATEROOM');
      expectErr(await ann.request({ verb: 'CREATEROOM', room }), 'CREATEROOM of an existing room');
    },
  },
  {
    id: 'IV/joinroom-ulist',
    title: 'JOINROOM joins an existing room; ULIST lists its members',
    words: `${ROOMS}: "JOINROOM joins an existing one"; ULIST: "+OK with the members' UserNodes"`,
    level: 'NON_STRICT',
    expectation: '+OK to JOINROOM; ULIST lists both members at their addresses.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const room = ctx.alias('lobby');
      expectOk(await bob.request({ verb: 'CREATEROOM', room }), 'CREATEROOM');
      expectOk(await ann.request({ verb: 'JOINROOM', room }), 'JOINROOM');
      const who = await ann.request({ verb: 'ULIST', room });
      expectOk(who, 'ULIST');
      check(lists(who.users, bob.alias, bob.probe.address), `ULIST lacks ${bob.alias}: ${shown(who)}`);
      check(lists(who.users, ann.alias, ann.probe.address), `ULIST lacks ${ann.alias}: ${shown(who)}`);
    },
  },
  {
    id: 'IV/joinroom-missing',
    title: 'JOINROOM of a room that does not exist is refused',
    words: `${ROOMS}: "no room nope | JOINROOM of a room no server this one knows of has"`,
    level: 'NON_STRICT',
    expectation: '-ERR.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      expectErr(
        await bob.request({ verb: 'JOINROOM', room: ctx.alias('nope') }),
        'JOINROOM of a missing room',
      );
    },
  },
  {
    id: 'IV/leaveroom',
    title: 'LEAVEROOM leaves the room; ULIST no longer lists the node',
    words: `${ROOMS}: "LEAVEROOM leaves a room"; "not in room nope | LEAVEROOM of a room the sender is not in"`,
    level: 'NON_STRICT',
    expectation: '+OK to LEAVEROOM; ULIST lacks the node; LEAVEROOM of a room not joined is -ERR.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const room = ctx.alias('lobby');
      expectOk(await bob.request({ verb: 'CREATEROOM', room }), 'CREATEROOM');
      expectOk(await ann.request({ verb: 'JOINROOM', room }), 'JOINROOM');
      expectOk(await ann.request({ verb: 'LEAVEROOM', room }), 'LEAVEROOM');
      const who = await bob.request({ verb: 'ULIST', room });
      expectOk(who, 'ULIST');
      check(!lists(who.users, ann.alias), `ULIST still lists ${ann.alias}: ${shown(who)}`);
      // Another room: the same LEAVEROOM again would be a repeat, answered as the first was.
      expectErr(
        await ann.request({ verb: 'LEAVEROOM', room: ctx.alias('elsewhere') }),
        'LEAVEROOM of a room not joined',
      );
    },
  },
  {
    id: 'IV/csend',
    title: 'CSEND reaches the other members of the current room, not the sender',
    words:
      'docs/protocol.md, CSEND: "Every other member, on every server, gets the CSEND echoed in a +OK from its own server whose one Message is the room name; the sender gets a plain +OK"',
    level: 'NON_STRICT',
    expectation:
      'The other member receives the CSEND with its text and the room name; the sender gets +OK and no copy.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const ann = await ctx.registered('ann');
      const room = ctx.alias('lobby');
      expectOk(await bob.request({ verb: 'CREATEROOM', room }), 'CREATEROOM');
      expectOk(await ann.request({ verb: 'JOINROOM', room }), 'JOINROOM');
      const text = `hello ${room}`;
      expectOk(await ann.request({ verb: 'CSEND', message: text }), 'CSEND');
      const delivered = await bob.delivery('CSEND', ctx.timing.wait * 2);
      check(delivered !== undefined, `${bob.alias} got no delivery`);
      const echoed = delivered.command.kind === 'UserCommand' ? delivered.command.command : undefined;
      check(echoed?.verb === 'CSEND' && echoed.message === text, `delivery: ${shown(delivered)}`);
      check(delivered.messages.includes(room), `delivery does not name the room: ${shown(delivered)}`);
      // The barrier: the sender's next reply comes after any copy to itself would have.
      expectOk(await ann.request({ verb: 'LISTROOMS' }), 'LISTROOMS');
      // A room event names the member's server (docs/protocol.md, "Rooms across the network"): one
      // meant for a neighbour that has gone, whose port the OS gave this user, is no delivery.
      const ownCopies = ann.probe.all(
        (r) =>
          r.text.includes(text) &&
          r.text.includes(`MESSAGE ${room}`) &&
          !(r.packet?.kind === 'ServerReply' && r.packet.servers.length > 0),
      );
      check(ownCopies.length === 0, 'the sender got its own CSEND');
    },
  },
  {
    id: 'IV/csend-no-room',
    title: 'CSEND with no current room is refused',
    words:
      'docs/protocol.md, CSEND: "-ERR with join or create a room first when the sender has no current room"',
    level: 'NON_STRICT',
    expectation: '-ERR.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      expectErr(await bob.request({ verb: 'CSEND', message: 'nobody hears this' }), 'CSEND outside a room');
    },
  },
];
