/** Section IV as a server reads it: leading zeros, whitespace, padding, canonical echo, keywords. */
import { type ConformanceCase, check } from '../case.ts';
import type { ServerCaseContext } from '../server-context.ts';
import { expectOk, shown } from './expect.ts';

type ServerCase = ConformanceCase<ServerCaseContext>;

export const WIRE_CASES: ServerCase[] = [
  {
    id: 'IV/port-leading-zeros',
    title: 'A Port written with a leading zero is read as its number',
    words:
      'Section III: "Port Require 4 digit ports to encourage port >= 1000 since leading zeros are allowed"; Section IV: "Port => [0-6]?[0-9][0-9][0-9][0-9]"',
    level: 'MUST',
    expectation:
      'A PREFERRED whose UserNode port is written with 5 digits (a leading 0) is answered at that port.',
    async run(ctx) {
      const low = await ctx.user('zero', { lowPort: true });
      const port = low.probe.address.port;
      const text = `USERNODE ${low.alias} ${low.probe.address.ip} 0${port} PREFERRED SERVER preferred ${ctx.target.ip} ${ctx.target.port}`;
      const reply = await low.request(text, 'PREFERRED');
      expectOk(reply, `PREFERRED from port 0${port}`);
    },
  },
  {
    id: 'IV/ip-leading-zeros',
    title: 'An IPAddress written with leading zeros is read as its value',
    words: 'Section IV: "IPAddress => [Byte].[Byte].[Byte].[Byte]", "Byte => [0-2]?[0-9]?[0-9]"',
    level: 'MUST',
    expectation: 'A PREFERRED whose UserNode address is 127.000.000.001 is answered, to 127.0.0.1.',
    async run(ctx) {
      const user = await ctx.user('zeros');
      const text = `USERNODE ${user.alias} 127.000.000.001 ${user.probe.address.port} PREFERRED SERVER preferred ${ctx.target.ip} ${ctx.target.port}`;
      expectOk(await user.request(text, 'PREFERRED'), 'PREFERRED from 127.000.000.001');
    },
  },
  {
    id: 'IV/canonical-echo',
    title: 'A reply echoes the command in canonical form',
    words:
      'docs/protocol.md, Checks on every datagram: "Every reply goes by unicast to the address the command\'s sender field names, and echoes the command in canonical form."',
    level: 'NON_STRICT',
    expectation:
      'The echo of a LIST written with leading zeros in its address and runs of spaces is the canonical text (single spaces, no leading zeros).',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const { ip, port } = bob.probe.address;
      const zeros = ip
        .split('.')
        .map((b) => b.padStart(3, '0'))
        .join('.');
      const odd = `  USERNODE   ${bob.alias}  ${zeros}   ${port}  LIST  `;
      const reply = await bob.request(odd, 'LIST');
      expectOk(reply, 'LIST');
      const echo = /^SERVERREPLY SERVER \S+ \S+ \d+ \+OK (USERNODE \S+ \S+ \d+ LIST)/.exec(
        bob.probe.all(bob.isReplyTo('LIST')).at(-1)?.text ?? '',
      )?.[1];
      check(echo === `USERNODE ${bob.alias} ${ip} ${port} LIST`, `echoed as: ${echo ?? shown(reply)}`);
    },
  },
  {
    id: 'IV/whitespace',
    title: 'Tokens may be separated by several spaces, tabs, CR and LF',
    words:
      'docs/protocol.md, decision 3: "Tokens are separated by one or more of space, tab, CR and LF (in any mix, so a packet may span lines)"',
    level: 'NON_STRICT',
    expectation: 'A CREATEROOM written across lines with tabs is acted on (+OK).',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const { ip, port } = bob.probe.address;
      const room = ctx.alias('spaced');
      expectOk(
        await bob.request(`USERNODE\t${bob.alias}\n${ip}  ${port}\r\nCREATEROOM \t ${room}`, 'CREATEROOM'),
        'CREATEROOM',
      );
    },
  },
  {
    id: 'IV/padding',
    title: 'Trailing spaces after a packet are ignored',
    words:
      'docs/protocol.md, Answers to unknown sources, and padding: "Trailing spaces (insignificant by decision 3) buy room at once"',
    level: 'NON_STRICT',
    expectation: 'A PREFERRED padded with spaces to 1,200 bytes is answered at once (first try).',
    async run(ctx) {
      const user = await ctx.user('padded');
      const text = user.text({
        verb: 'PREFERRED',
        server: { kind: 'Server', alias: 'preferred', ...ctx.target },
      });
      expectOk(
        await user.request(text.padEnd(1200, ' '), 'PREFERRED', { tries: 1, wait: ctx.timing.wait * 2 }),
        'padded PREFERRED',
      );
    },
  },
  {
    id: 'IV/keywords-upper-case',
    title: 'Keywords are upper case only',
    words: 'docs/protocol.md, decision 2: "Keywords are upper case, exactly. find is not FIND"',
    level: 'NON_STRICT',
    expectation: 'A "createroom" in lower case is not a command: no room is created.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const { ip, port } = bob.probe.address;
      const room = ctx.alias('lower');
      bob.send(`USERNODE ${bob.alias} ${ip} ${port} createroom ${room}`);
      const rooms = await bob.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(!rooms.messages.includes(room), `room ${room} was created`);
    },
  },
  {
    id: 'IV/keyword-as-alias',
    title: 'A keyword may be an alias',
    words:
      'docs/protocol.md, decision 8: "Every keyword is also a word, so any keyword fills a name slot"; Section III: "Alias Allow any alphanumeric combination of at least 1 character"',
    level: 'NON_STRICT',
    expectation: 'A room named FIND can be created and is listed by LISTROOMS.',
    async run(ctx) {
      const bob = await ctx.registered('bob');
      const room = 'FIND';
      // The room FIND is shared by every run: CREATEROOM may find it exists; either way LISTROOMS lists it.
      const created = await bob.request({ verb: 'CREATEROOM', room });
      check(created, 'CREATEROOM FIND was not answered');
      const rooms = await bob.request({ verb: 'LISTROOMS' });
      expectOk(rooms, 'LISTROOMS');
      check(created.status === '+OK' || rooms.messages.includes(room), `CREATEROOM FIND: ${shown(created)}`);
      check(rooms.messages.includes(room), `LISTROOMS lacks FIND: ${shown(rooms)}`);
    },
  },
  {
    id: 'IV/alias-case-sensitive',
    title: 'Aliases are case-sensitive',
    words: 'docs/protocol.md, decision 8: "Names are case-sensitive: Bob and bob are different aliases."',
    level: 'NON_STRICT',
    expectation: 'Two nodes register the same alias in different case; both are +OK.',
    async run(ctx) {
      const lower = await ctx.user('case');
      expectOk(await lower.register(), 'PREFERRED');
      const upper = await ctx.user('case');
      const alias = lower.alias.toUpperCase();
      const text = upper.text({
        verb: 'PREFERRED',
        server: { kind: 'Server', alias: 'preferred', ...ctx.target },
      });
      expectOk(
        await upper.request(text.replace(` ${lower.alias} `, ` ${alias} `), 'PREFERRED'),
        `PREFERRED as ${alias}`,
      );
    },
  },
];
