/**
 * The user cases: the kit plays the node's server and that server's neighbours, starts the node,
 * and checks registration, what it sends, keep-alive, failover after N timeouts, exiting without
 * a backup, deliveries, replies it must ignore, and coming home on a server PREFERRED.
 */
import type { Server, UserCommand } from '../../index.ts';
import { serialize } from '../../index.ts';
import type { FakeServer } from '../actors/fake-server.ts';
import { type ConformanceCase, check, inSectionOrder } from '../case.ts';
import type { Received } from '../probe.ts';
import type { UserCaseContext } from '../user-context.ts';

type UserCase = ConformanceCase<UserCaseContext>;
type UserDatagram = Received & { packet: UserCommand };

const FAILOVER =
  'Section II.iii: "After N occurrences of a user node sending a request to its current server and receiving no reply within a pre-specified timeout period, it assumes the server has failed and proceeds to attempt to connect to a new server based successively on its current list of the failed server\'s neighbors. ... Once connected, it sends the PREFERRED command with the information about the previous server"';

/** Starts the node with `home` as its server and waits for its PREFERRED there. */
async function registered(ctx: UserCaseContext, home: FakeServer): Promise<UserDatagram> {
  ctx.start(home);
  const preferred = await home.next('PREFERRED', ctx.patience);
  check(preferred, `no PREFERRED reached the kit server within ${ctx.patience} ms`);
  return preferred;
}

/** Home with the given neighbours; the node registered; then home falls silent. */
async function homeFails(
  ctx: UserCaseContext,
  neighbours: Server[],
): Promise<{ home: FakeServer; node: UserDatagram }> {
  const home = await ctx.server('home');
  home.neighbours = neighbours;
  const node = await registered(ctx, home);
  // Let the +OK and the KNOWNSERVERS arrive before the server fails.
  await new Promise((resolve) => setTimeout(resolve, 100));
  home.alive = false;
  return { home, node };
}

const preferredNames = (d: UserDatagram | undefined) =>
  d?.packet.command.verb === 'PREFERRED' ? d.packet.command.server : undefined;

const ALL: UserCase[] = [
  {
    id: 'I.i/user-preferred-first',
    title: 'The user node registers with PREFERRED before any other command',
    words:
      'Section I.i: "Before a server will process commands from a user, it must issue this command telling the server who its preferred server is."',
    level: 'MUST',
    expectation: 'The first datagram the node sends to its server is a PREFERRED.',
    async run(ctx) {
      const home = await ctx.server('home');
      ctx.start(home);
      const first = await home.probe.next(() => true, ctx.patience);
      check(first, `nothing reached the kit server within ${ctx.patience} ms`);
      check(
        first.packet?.kind === 'UserCommand' && first.packet.command.verb === 'PREFERRED',
        `the first datagram was: ${first.text}`,
      );
    },
  },
  {
    id: 'I.i/user-preferred-names-server',
    title: "The PREFERRED names the node's preferred server at its address",
    words:
      'Section I.i: "A server first checks itself against the IP address and port information and if it is not preferred notes the alias of the preferred server."',
    level: 'MUST',
    expectation:
      "The PREFERRED's Server has the kit server's IP address and port (the node was given it as its server).",
    async run(ctx) {
      const home = await ctx.server('home');
      const server = preferredNames(await registered(ctx, home));
      check(
        server?.ip === home.probe.address.ip && server.port === home.probe.address.port,
        `names ${server ? `${server.alias} ${server.ip}:${server.port}` : 'nothing'}`,
      );
    },
  },
  {
    id: 'III/user-sender-is-source',
    title: "The user node's sender field is the address it sends from",
    words:
      'Section III: "The first field denotes the sender\'s reply address". docs/protocol.md, Transport: "Each node sends everything, multicast included, from its one unicast socket, so a datagram\'s source address is the address its packet names."',
    level: 'NON_STRICT',
    expectation: "The UserNode in the node's PREFERRED is the datagram's source address.",
    async run(ctx) {
      const home = await ctx.server('home');
      const preferred = await registered(ctx, home);
      const sender = preferred.packet.sender;
      check(
        sender.ip === preferred.from.ip && sender.port === preferred.from.port,
        `names ${sender.ip}:${sender.port}, sent from ${preferred.from.ip}:${preferred.from.port}`,
      );
    },
  },
  {
    id: 'IV/user-datagrams-parse',
    title: 'Every datagram the user node sends is a packet of the grammar',
    words:
      'Section III: "we have defined a grammar for all messages passed from server to server, as well as all messages between the user agent and a server."',
    level: 'MUST',
    expectation: 'Registration and the requests after it all parse as Section IV packets.',
    async run(ctx) {
      const home = await ctx.server('home');
      await registered(ctx, home);
      await home.next(undefined, ctx.patience); // a request after registering, if the node sends one
      const bad = home.probe.all((r) => r.packet === undefined);
      check(bad.length === 0, `does not parse: ${bad[0]?.text}`);
    },
  },
  {
    id: 'IV/user-canonical',
    title: 'The user node writes canonical text',
    words:
      'docs/protocol.md, decision 11: "The text it writes has tokens joined by single spaces, MESSAGE + content + NUL, no leading zeros in IPs, ports of at least 4 digits, and nothing before or after."',
    level: 'NON_STRICT',
    expectation: 'Every datagram, without trailing padding spaces, is its own canonical form.',
    async run(ctx) {
      const home = await ctx.server('home');
      await registered(ctx, home);
      await home.next(undefined, ctx.patience);
      const odd = home.probe.all(
        (r) => r.packet !== undefined && serialize(r.packet) !== r.text.replace(/ +$/, ''),
      );
      check(odd.length === 0, `not canonical: ${odd[0]?.text}`);
    },
  },
  {
    id: 'II.iii/user-keep-alive',
    title: 'An idle user node still checks on its server',
    words:
      'docs/protocol.md, Fault tolerance: "An idle node sends that same confirming PREFERRED after keepAlive ms (5 s) without hearing from its server or sending to it, so a dead server is noticed without user activity"',
    level: 'NON_STRICT',
    expectation:
      'After registering, with no input, the node sends another request to its server within the patience.',
    async run(ctx) {
      const home = await ctx.server('home');
      await registered(ctx, home);
      const request = await home.next(undefined, ctx.patience);
      check(request, `no request within ${ctx.patience} ms of registering`);
      ctx.note(`sent ${request.packet.command.verb}`);
    },
  },
  {
    id: 'II.iii/user-failover',
    title: "After N unanswered requests the node moves to its server's neighbour",
    words: FAILOVER,
    level: 'MUST',
    expectation:
      'With its server silent, the node sends PREFERRED to the neighbour it was told of, naming its previous (preferred) server.',
    async run(ctx) {
      const backup = await ctx.server('backup');
      const { home } = await homeFails(ctx, [backup.self]);
      const moved = await backup.next('PREFERRED', ctx.patience);
      check(moved, `no PREFERRED reached the neighbour within ${ctx.patience} ms`);
      const named = preferredNames(moved);
      check(
        named?.ip === home.probe.address.ip && named.port === home.probe.address.port,
        `the PREFERRED names ${named ? `${named.alias} ${named.ip}:${named.port}` : 'nothing'}, not the previous server`,
      );
      const unanswered = home.commands().filter((c) => c.packet.command.verb !== 'PREFERRED').length;
      ctx.note(`${unanswered} request(s) went unanswered before the move`);
    },
  },
  {
    id: 'II.iii/user-failover-in-order',
    title: 'The neighbours are tried successively, in the order of the list',
    words: FAILOVER,
    level: 'MUST',
    expectation:
      'With two neighbours listed and the first silent too, the node asks the first, then the second.',
    async run(ctx) {
      const first = await ctx.server('first');
      const second = await ctx.server('second');
      first.alive = false;
      await homeFails(ctx, [first.self, second.self]);
      const moved = await second.next('PREFERRED', ctx.patience * 2);
      check(moved, 'no PREFERRED reached the second neighbour');
      const asked = first.commands('PREFERRED');
      const firstAsked = asked[0];
      check(firstAsked, 'the first neighbour in the list was never asked');
      check(firstAsked.at < moved.at, 'the first neighbour was asked after the second');
    },
  },
  {
    id: 'II.iii/user-exits-without-backup',
    title: 'With no backup server, the user node exits',
    words: 'Section II.iii: "If there is no available backup server, the user node exits."',
    level: 'MUST',
    expectation: 'Told of no neighbours, and its server silent, the node process exits.',
    async run(ctx) {
      await homeFails(ctx, []);
      const code = await ctx.exited(ctx.patience);
      check(code !== 'running', `still running ${ctx.patience} ms after its server fell silent`);
      ctx.note(`exit status ${code}`);
    },
  },
  {
    id: 'II.iv/user-ignores-foreign-knownservers',
    title: 'KNOWNSERVERS from a server that is not its own is ignored',
    words:
      'docs/protocol.md, Checks on every datagram: "A user node accepts a server command only from the address it names, KNOWNSERVERS only from its current server"',
    level: 'NON_STRICT',
    expectation:
      "A stranger's KNOWNSERVERS naming another server does not change where the node fails over to.",
    async run(ctx) {
      const backup = await ctx.server('backup');
      const rogue = await ctx.server('rogue');
      const home = await ctx.server('home');
      home.neighbours = [backup.self];
      const node = await registered(ctx, home);
      await new Promise((resolve) => setTimeout(resolve, 100));
      rogue.tellServers(node.packet.sender, [rogue.self]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      home.alive = false;
      const moved = await backup.next('PREFERRED', ctx.patience);
      check(rogue.commands().length === 0, 'the node went to the server a stranger named');
      check(moved, 'no PREFERRED reached the real neighbour');
    },
  },
  {
    id: 'III/user-shows-delivery',
    title: 'A delivered message reaches the user',
    words:
      'docs/protocol.md, SEND: "the server delivers the SEND echoed in a +OK to the recipient"; CSEND: "A user node reports a delivery as a message event"',
    level: 'NON_STRICT',
    expectation:
      "A SEND delivered by its server appears in the node's output (its text, on standard output or error).",
    async run(ctx) {
      const home = await ctx.server('home');
      const node = await registered(ctx, home);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = `kit delivery ${ctx.aliasFor('x')}`;
      const from = { kind: 'UserNode' as const, alias: ctx.aliasFor('friend'), ip: '127.0.0.1', port: 1999 };
      home.deliver(node.packet.sender, from, text);
      check(await ctx.outputContains(text, ctx.wait), 'the message text never appeared in the output');
    },
  },
  {
    id: 'III/user-survives-garbage',
    title: 'Datagrams that are no packets do not stop the user node',
    words:
      'docs/protocol.md, Network semantics: "Every datagram they send is written by serialize and every datagram they read goes through safeParse."',
    level: 'NON_STRICT',
    expectation:
      'After garbage, a forged reply and an oversize datagram, the node is still running and still delivers a message.',
    async run(ctx) {
      const home = await ctx.server('home');
      const node = await registered(ctx, home);
      const to = node.packet.sender;
      home.probe.send(new Uint8Array([0xff, 0x00, 0xfe]), to);
      home.probe.send('SERVERREPLY', to);
      home.probe.send(`SERVERREPLY SERVER x 127.0.0.1 1000 +OK ${serialize(node.packet)}`, to);
      home.probe.send('x'.repeat(3000), to);
      const text = `still here ${ctx.aliasFor('y')}`;
      home.deliver(
        to,
        { kind: 'UserNode', alias: ctx.aliasFor('friend'), ip: '127.0.0.1', port: 1999 },
        text,
      );
      check(await ctx.outputContains(text, ctx.wait), 'no delivery after the garbage');
      check((await ctx.exited(0)) === 'running', 'the node exited');
    },
  },
  {
    id: 'II.v/user-comes-home',
    title: 'Called home by its recovered preferred server, the node moves back',
    words:
      'Section II.v: "Once the recovered server receives the ServerReply it contacts each UserNode with the same preferred Command to let them know their preferred server is online again. The UserNode then disconnects, by way of an EXIT command, from its backup Server and reconnects with its preferred Server."',
    level: 'MUST',
    expectation:
      'On its backup, told by the backup that home is back, and called by home with the server PREFERRED, the node sends PREFERRED to home and EXIT to the backup.',
    async run(ctx) {
      const backup = await ctx.server('backup');
      const { home } = await homeFails(ctx, [backup.self]);
      backup.neighbours = [home.self];
      const moved = await backup.next('PREFERRED', ctx.patience);
      check(moved, 'the node never moved to the backup');
      home.alive = true;
      const node = moved.packet.sender;
      // The backup vouches for home (its neighbour list names it), then home calls.
      backup.tellServers(node);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const alreadyHome = home.commands('PREFERRED').length;
      home.callHome(node);
      const [back, exit] = await Promise.all([
        home.probe.next(
          (r) =>
            r.packet?.kind === 'UserCommand' &&
            r.packet.command.verb === 'PREFERRED' &&
            home.commands('PREFERRED').length > alreadyHome,
          ctx.wait * 2,
        ),
        backup.next('EXIT', ctx.wait * 2),
      ]);
      check(back, 'no PREFERRED reached home after the call');
      check(exit, 'no EXIT reached the backup');
    },
  },
  {
    id: 'II.v/user-ignores-unvouched-call',
    title: 'A call home from an address its server does not know moves nobody',
    words:
      'docs/protocol.md, PREFERRED (server form): "a call from an address the node\'s server does not know moves nobody"',
    level: 'NON_STRICT',
    expectation:
      'On its backup, a server PREFERRED from a stranger using the home alias gets no PREFERRED and no EXIT.',
    async run(ctx) {
      const backup = await ctx.server('backup');
      const { home } = await homeFails(ctx, [backup.self]);
      const moved = await backup.next('PREFERRED', ctx.patience);
      check(moved, 'the node never moved to the backup');
      // The impostor: home's alias from another socket, which no server vouches for.
      const impostor = await ctx.server('impostor');
      const self = { ...impostor.self, alias: home.alias };
      impostor.probe.send(
        serialize({ kind: 'ServerCommand', sender: self, command: { verb: 'PREFERRED', server: self } }),
        moved.packet.sender,
      );
      const followed = await impostor.next('PREFERRED', ctx.wait);
      check(!followed, 'the node registered with the impostor');
      check(!(await backup.next('EXIT', 0)), 'the node left its backup');
    },
  },
];

/** Every user case, by section in the specification's order. */
export const USER_CASES: readonly UserCase[] = inSectionOrder(ALL);
