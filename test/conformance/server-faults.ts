/**
 * One planted fault per server case at least: each makes a reference server break exactly what
 * its case checks. Most are plain misbehaviours (answers +OK where it must refuse, forgets to
 * forward); where every case depends on the behaviour (registration, FIND), the fault is aimed at
 * the one alias name that case uses, so that the rest of the section can still pass.
 */
import { isMulticast, type Packet, type ServerReply, type UserCommand } from '../../src/index.ts';
import { type Fault, key } from './fault-transport.ts';

type Verb = UserCommand['command']['verb'] | 'DISCOVER' | 'KNOWNUSERS' | 'KNOWNSERVERS' | 'JOINCHANNEL';

/** The packet if it is a ServerReply to `verb` (with `status`, if given). */
function replyTo(p: Packet | undefined, verb: Verb, status?: '+OK' | '-ERR'): ServerReply | undefined {
  if (p?.kind !== 'ServerReply' || p.command.command.verb !== verb) return undefined;
  return status === undefined || p.status === status ? p : undefined;
}

/** The alias of the command a reply echoes. */
const echoedAlias = (p: ServerReply) => p.command.sender.alias;

const flip = (p: ServerReply): ServerReply =>
  p.status === '+OK'
    ? { ...p, status: '-ERR', servers: [], users: [], messages: ['planted fault'] }
    : { ...p, status: '+OK' };

/** A fault that turns the server's `status` answers to `verb` into the opposite status. */
const flipped =
  (verb: Verb, status: '+OK' | '-ERR') =>
  (p: Packet | undefined): ServerReply | undefined => {
    const r = replyTo(p, verb, status);
    return r ? flip(r) : undefined;
  };

/** A fault that answers `verb` with +OK and no users. */
const withNobody =
  (verb: Verb) =>
  (p: Packet | undefined): ServerReply | undefined => {
    const r = replyTo(p, verb, '+OK');
    return r ? { ...r, users: [] } : undefined;
  };

const multicast = (to: { ip: string }) => isMulticast(to.ip);

const isCommand = (p: Packet | undefined, verb: Verb) =>
  p !== undefined && p.kind !== 'ServerReply' && p.command.verb === verb;

/** A FIND the server passes on: a user's FIND sent to an address that is not the user. */
const isForwardedFind = (p: Packet | undefined, to: { ip: string; port: number }): p is UserCommand =>
  p?.kind === 'UserCommand' && p.command.verb === 'FIND' && key(p.sender) !== key(to);

const findKey = (p: UserCommand) => `${key(p.sender)} ${p.command.verb === 'FIND' ? p.command.alias : ''}`;

/** The fault's own memory, made fresh for each server it is planted in. */
function stateful(make: () => Omit<Fault, 'name' | 'catches'>, name: string, catches: string): () => Fault {
  return () => ({ name, catches, ...make() });
}

const faults: (Fault | (() => Fault))[] = [
  // I.i
  {
    name: 'refuses PREFERRED from the alias newbie',
    catches: 'I.i/preferred-registers',
    outgoing: (p) => {
      const r = replyTo(p, 'PREFERRED', '+OK');
      return r && echoedAlias(r).startsWith('newbie') ? flip(r) : undefined;
    },
  },
  {
    name: 'answers +OK to commands from unregistered nodes',
    catches: 'I.i/preferred-before-commands',
    outgoing: (p) =>
      p?.kind === 'ServerReply' && p.messages.some((m) => m.includes('not registered')) ? flip(p) : undefined,
  },
  {
    name: 'answers +OK to a PREFERRED of a taken alias',
    catches: 'I.i/preferred-alias-taken',
    outgoing: (p) => {
      const r = replyTo(p, 'PREFERRED', '-ERR');
      return r?.messages.some((m) => m.includes('is used by')) ? flip(r) : undefined;
    },
  },
  {
    name: 'leaves the Server out of FIND answers to finder',
    catches: 'I.i/find-registered',
    outgoing: (p) => {
      const r = replyTo(p, 'FIND', '+OK');
      return r && echoedAlias(r).startsWith('finder') ? { ...r, servers: [] } : undefined;
    },
  },
  {
    name: 'does not answer a FIND it cannot fulfil, to seeker',
    catches: 'I.i/find-unknown',
    outgoing: (p) => {
      const r = replyTo(p, 'FIND', '-ERR');
      return r && echoedAlias(r).startsWith('seeker') ? 'drop' : undefined;
    },
  },
  // I.ii
  {
    name: 'leaves the user listed out of its multicast KNOWNUSERS',
    catches: 'I.ii/knownusers',
    outgoing: (p, to) =>
      p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNUSERS' && multicast(to)
        ? {
            ...p,
            command: { ...p.command, users: p.command.users.filter((u) => !u.alias.startsWith('listed')) },
          }
        : undefined,
  },
  stateful(
    () => {
      const gone = new Map<string, ReturnType<typeof Object>>();
      return {
        outgoing: (p) => {
          if (p?.kind !== 'ServerCommand' || p.command.verb !== 'KNOWNUSERS') return undefined;
          for (const u of p.command.users) if (u.alias.startsWith('leaver')) gone.set(u.alias, u);
          const missing = [...gone.values()].filter(
            (u) => !(p.command as { users: { alias: string }[] }).users.some((v) => v.alias === u.alias),
          );
          return { ...p, command: { ...p.command, users: [...p.command.users, ...missing] } } as Packet;
        },
      };
    },
    'keeps gossiping users that left',
    'I.ii/knownusers-after-exit',
  ),
  {
    name: 'leaves the neighbour announced out of KNOWNSERVERS',
    catches: 'I.ii/knownservers',
    outgoing: (p) =>
      p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNSERVERS'
        ? {
            ...p,
            command: {
              ...p.command,
              servers: p.command.servers.filter((s) => !s.alias.startsWith('announced')),
            },
          }
        : undefined,
  },
  {
    name: "does not answer a new neighbour's first gossip by unicast",
    catches: 'I.ii/first-gossip-answered',
    outgoing: (p, to, tools) =>
      p?.kind === 'ServerCommand' &&
      p.command.verb === 'KNOWNUSERS' &&
      !multicast(to) &&
      !tools.registered.has(key(to))
        ? 'drop'
        : undefined,
  },
  {
    name: "does not learn the user remote from a neighbour's KNOWNUSERS",
    catches: 'I.ii/knownusers-learned',
    incoming: (p) =>
      p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNUSERS'
        ? {
            ...p,
            command: { ...p.command, users: p.command.users.filter((u) => !u.alias.startsWith('remote')) },
          }
        : undefined,
  },
  // II.i
  {
    name: 'refuses a DISCOVER of the free alias fresh',
    catches: 'II.i/discover-free',
    outgoing: (p) => {
      const r = replyTo(p, 'DISCOVER', '+OK');
      return r && echoedAlias(r).startsWith('fresh') ? 'drop' : undefined;
    },
  },
  {
    name: 'names another port in its DISCOVER replies',
    catches: 'II.i/discover-unicast-info',
    outgoing: (p) => {
      const r = replyTo(p, 'DISCOVER', '+OK');
      return r
        ? { ...r, sender: { ...r.sender, port: r.sender.port === 65535 ? 1 : r.sender.port + 1 } }
        : undefined;
    },
  },
  {
    name: 'does not hear the DISCOVER of chan',
    catches: 'II.i/discover-on-channel',
    incoming: (p) =>
      p?.kind === 'ServerCommand' && p.command.verb === 'DISCOVER' && p.sender.alias.startsWith('chan')
        ? 'drop'
        : undefined,
  },
  {
    name: 'answers +OK to a DISCOVER of its own alias',
    catches: 'II.i/discover-own-alias',
    outgoing: (p, _to, tools) => {
      const r = replyTo(p, 'DISCOVER', '-ERR');
      return r && r.command.command.verb === 'DISCOVER' && r.command.command.alias === tools.alias
        ? flip(r)
        : undefined;
    },
  },
  {
    name: 'answers +OK to a DISCOVER of the known alias owner',
    catches: 'II.i/discover-known-alias',
    outgoing: (p) => {
      const r = replyTo(p, 'DISCOVER', '-ERR');
      return r && r.command.command.verb === 'DISCOVER' && r.command.command.alias.startsWith('owner')
        ? flip(r)
        : undefined;
    },
  },
  {
    name: 'does not name the holder in a collision -ERR',
    catches: 'II.i/collision-names-holder',
    outgoing: (p) => {
      const r = replyTo(p, 'DISCOVER', '-ERR');
      return r ? { ...r, servers: [] } : undefined;
    },
  },
  stateful(
    () => {
      const greeted = new Set<string>();
      return {
        incoming: (p, from) => {
          if (isCommand(p, 'DISCOVER') && p?.kind === 'ServerCommand' && p.sender.alias.startsWith('greeted'))
            greeted.add(key(from));
          return undefined;
        },
        outgoing: (p, to) =>
          p?.kind === 'ServerCommand' && p.command.verb === 'DISCOVER' && greeted.has(key(to))
            ? { ...p, command: { verb: 'DISCOVER', alias: 'somebodyelse' } }
            : undefined,
      };
    },
    'greets the claimant greeted with another alias',
    'II.i/greeting',
  ),
  {
    name: 'does not tell users of the neighbour roundtrip',
    catches: 'II.i/neighbour-after-round-trip',
    outgoing: (p) => {
      const notRoundtrip = (s: { alias: string }) => !s.alias.startsWith('roundtrip');
      if (p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNSERVERS')
        return { ...p, command: { ...p.command, servers: p.command.servers.filter(notRoundtrip) } };
      const r = replyTo(p, 'PREFERRED', '+OK');
      return r ? { ...r, servers: r.servers.filter(notRoundtrip) } : undefined;
    },
  },
  stateful(
    () => {
      const claimants = new Map<string, string>();
      return {
        incoming: (p, from) => {
          if (p?.kind === 'ServerCommand' && p.command.verb === 'DISCOVER')
            claimants.set(key(from), p.sender.alias);
          return undefined;
        },
        outgoing: (p, to, tools) => {
          const alias = claimants.get(key(to));
          if (p?.kind !== 'ServerCommand' || p.command.verb !== 'DISCOVER' || alias === undefined)
            return undefined;
          // Forge the claimant's +OK to the greeting, as if it had answered.
          const answer: ServerReply = {
            kind: 'ServerReply',
            sender: { kind: 'Server', alias, ...to },
            status: '+OK',
            command: p,
            servers: [],
            users: [],
            messages: [],
          };
          setTimeout(() => tools.inject(answer, to), 5);
          return undefined;
        },
      };
    },
    'takes a claimant as a neighbour without its answer to the greeting',
    'II.i/no-neighbour-without-round-trip',
  ),
  // II.ii
  {
    name: 'does not answer the JOINCHANNEL of asking',
    catches: 'II.ii/joinchannel-answered',
    outgoing: (p) => {
      const r = replyTo(p, 'JOINCHANNEL');
      return r && echoedAlias(r).startsWith('asking') ? 'drop' : undefined;
    },
  },
  {
    name: 'does not answer the JOINCHANNEL of outsider',
    catches: 'II.ii/joinchannel-stranger-answered',
    outgoing: (p) => {
      const r = replyTo(p, 'JOINCHANNEL');
      return r && echoedAlias(r).startsWith('outsider') ? 'drop' : undefined;
    },
  },
  {
    name: 'answers JOINCHANNEL +OK without listening on the channel',
    catches: 'II.ii/joinchannel-listens',
    join: async (channel, _inner, tools) => {
      tools.pretended.push(channel);
    },
  },
  {
    name: 'never sends on a channel it was invited to',
    catches: 'II.ii/joinchannel-gossip',
    outgoing: (_p, to, tools) =>
      multicast(to) && tools.firstChannel !== undefined && key(to) !== key(tools.firstChannel)
        ? 'drop'
        : undefined,
  },
  {
    name: 'leaves its first channel when it joins another',
    catches: 'II.ii/joinchannel-keeps-channel',
    join: async (channel, inner, tools) => {
      const first = tools.firstChannel;
      await inner.join(channel);
      if (first) await inner.leave(first);
    },
  },
  {
    name: 'accepts JOINCHANNEL to an address that is not multicast',
    catches: 'II.ii/joinchannel-not-multicast',
    outgoing: (p) => {
      const r = replyTo(p, 'JOINCHANNEL', '-ERR');
      return r?.messages.some((m) => m.includes('not a multicast')) ? flip(r) : undefined;
    },
  },
  {
    name: 'accepts JOINCHANNEL from a server that is not a neighbour',
    catches: 'II.ii/joinchannel-stranger-refused',
    outgoing: (p) => {
      const r = replyTo(p, 'JOINCHANNEL', '-ERR');
      return r?.messages.some((m) => m.includes('neighbour')) ? flip(r) : undefined;
    },
  },
  // II.iii, II.iv
  {
    name: 'refuses the guest visitor',
    catches: 'II.iii/guest-accepted',
    outgoing: (p) => {
      const r = replyTo(p, 'PREFERRED', '+OK');
      return r && echoedAlias(r).startsWith('visitor') ? flip(r) : undefined;
    },
  },
  stateful(
    () => {
      const told = new Set<string>();
      return {
        incoming: (p, from) => {
          if (
            p?.kind === 'UserCommand' &&
            p.command.verb === 'PREFERRED' &&
            p.sender.alias.startsWith('told')
          )
            told.add(key(from));
          return undefined;
        },
        outgoing: (p, to) =>
          p?.kind === 'ServerCommand' && p.command.verb === 'KNOWNSERVERS' && told.has(key(to))
            ? 'drop'
            : undefined,
      };
    },
    'never sends KNOWNSERVERS to the user told',
    'II.iv/knownservers-to-user',
  ),
  stateful(
    () => {
      const told = new Set<string>();
      return {
        outgoing: (p, to) => {
          if (p?.kind !== 'ServerCommand' || p.command.verb !== 'KNOWNSERVERS' || multicast(to))
            return undefined;
          if (!told.has(key(to))) {
            told.add(key(to));
            return undefined;
          }
          return 'drop';
        },
      };
    },
    'does not tell users when its neighbours change',
    'II.iv/knownservers-on-change',
  ),
  // II.v
  {
    name: 'does not answer the EXIT of departed',
    catches: 'II.v/exit',
    incoming: (p) =>
      p?.kind === 'UserCommand' && p.command.verb === 'EXIT' && p.sender.alias.startsWith('departed')
        ? 'drop'
        : undefined,
  },
  {
    name: 'leaves the guest out of its PREFERRED answer',
    catches: 'II.v/preferred-lists-guests',
    outgoing: (p) => {
      const r = replyTo(p, 'PREFERRED', '+OK');
      return r && r.command.kind === 'ServerCommand'
        ? { ...r, users: r.users.filter((u) => !u.alias.startsWith('guest')) }
        : undefined;
    },
  },
  stateful(
    () => {
      const residents = new Map<string, UserCommand['sender']>();
      return {
        incoming: (p) => {
          if (
            p?.kind === 'UserCommand' &&
            p.command.verb === 'PREFERRED' &&
            p.sender.alias.startsWith('resident')
          )
            residents.set(p.sender.alias, p.sender);
          return undefined;
        },
        outgoing: (p) => {
          const r = replyTo(p, 'PREFERRED', '+OK');
          return r && r.command.kind === 'ServerCommand'
            ? { ...r, users: [...r.users, ...residents.values()] }
            : undefined;
        },
      };
    },
    'lists users at home in its PREFERRED answer',
    'II.v/preferred-lists-only-its-guests',
  ),
  {
    name: 'answers a server PREFERRED from a stranger',
    catches: 'II.v/preferred-stranger-refused',
    outgoing: (p) => {
      const r = replyTo(p, 'PREFERRED', '-ERR');
      return r && r.command.kind === 'ServerCommand' ? flip(r) : undefined;
    },
  },
  stateful(
    () => {
      const seen = new Map<string, string>();
      return {
        incoming: (p, from) => {
          if (
            p?.kind === 'ServerCommand' &&
            p.command.verb === 'DISCOVER' &&
            p.command.alias === p.sender.alias
          )
            if (!seen.has(p.sender.alias)) seen.set(p.sender.alias, key(from));
          return undefined;
        },
        outgoing: (p, to) => {
          const r = replyTo(p, 'DISCOVER', '+OK');
          if (r?.command.kind !== 'ServerCommand') return undefined;
          const first = seen.get(r.command.sender.alias);
          return first !== undefined && first !== key(to) ? flip(r) : undefined;
        },
      };
    },
    'never gives an alias back to a new address',
    'II.v/recovered-at-new-address',
  ),
  // II.vi
  stateful(
    () => {
      const servers = new Map<string, string>();
      return {
        incoming: (p, from) => {
          if (p?.kind === 'ServerCommand') servers.set(key(from), p.sender.alias);
          return undefined;
        },
        outgoing: (p, to) =>
          isForwardedFind(p, to) && servers.get(key(to))?.startsWith('west') ? 'drop' : undefined,
      };
    },
    'never forwards a FIND to its neighbour west',
    'II.vi/find-forwarded',
  ),
  {
    name: "forwards a FIND in its own name, not the user's",
    catches: 'II.vi/find-forwarded-unchanged',
    outgoing: (p, to, tools) =>
      isForwardedFind(p, to) ? { ...p, sender: { ...p.sender, ...tools.self } } : undefined,
  },
  {
    name: 'leaves the found user out of answers to relayed FINDs',
    catches: 'II.vi/find-relayed-answered',
    outgoing: (p, to, tools) => {
      const r = replyTo(p, 'FIND', '+OK');
      return r && !tools.registered.has(key(to)) ? { ...r, users: [] } : undefined;
    },
  },
  stateful(
    () => {
      const answers = new Map<string, Packet>();
      return {
        outgoing: (p) => {
          const r = replyTo(p, 'FIND', '+OK');
          if (r && r.command.kind === 'UserCommand') answers.set(findKey(r.command), r);
          return undefined;
        },
        incoming: (p, from, tools) => {
          if (p?.kind !== 'UserCommand' || p.command.verb !== 'FIND' || key(p.sender) === key(from))
            return undefined;
          const earlier = answers.get(findKey(p));
          // Answers the copy again, as a server without a memory of FINDs would.
          if (earlier) tools.send(earlier, p.sender);
          return undefined;
        },
      };
    },
    'answers every copy of a relayed FIND',
    'II.vi/find-once',
  ),
  stateful(
    () => {
      const cameFrom = new Map<string, { ip: string; port: number }>();
      return {
        incoming: (p, from) => {
          if (p?.kind === 'UserCommand' && p.command.verb === 'FIND' && key(p.sender) !== key(from))
            cameFrom.set(findKey(p), from);
          return undefined;
        },
        outgoing: (p, to, tools) => {
          if (!isForwardedFind(p, to)) return undefined;
          const back = cameFrom.get(findKey(p));
          if (back) {
            cameFrom.delete(findKey(p));
            tools.send(p, back);
          }
          return undefined;
        },
      };
    },
    'sends a relayed FIND back where it came from',
    'II.vi/find-not-back',
  ),
  {
    name: 'answers -ERR to relayed FINDs it cannot fulfil',
    catches: 'II.vi/find-relayed-no-err',
    incoming: (p, from, tools) => {
      if (
        p?.kind !== 'UserCommand' ||
        p.command.verb !== 'FIND' ||
        key(p.sender) === key(from) ||
        !tools.alias
      )
        return undefined;
      if (!p.command.alias.startsWith('wanted')) return undefined;
      tools.send(
        {
          kind: 'ServerReply',
          sender: { kind: 'Server', alias: tools.alias, ...tools.self },
          status: '-ERR',
          command: p,
          servers: [],
          users: [],
          messages: ['not known here'],
        },
        p.sender,
      );
      return undefined;
    },
  },
  {
    name: 'does not answer the FIND of forwarder when it forwards it',
    catches: 'II.vi/own-server-answers',
    outgoing: (p) => {
      const r = replyTo(p, 'FIND', '-ERR');
      return r && echoedAlias(r).startsWith('forwarder') ? 'drop' : undefined;
    },
  },
  // III
  {
    name: 'names another address in its replies to echoer',
    catches: 'III/reply-echoes-command',
    outgoing: (p) => {
      const r = replyTo(p, 'LISTROOMS');
      return r && echoedAlias(r).startsWith('echoer')
        ? { ...r, sender: { ...r.sender, port: r.sender.port === 65535 ? 1 : r.sender.port + 1 } }
        : undefined;
    },
  },
  {
    name: 'refuses JOINROOM without saying why',
    catches: 'III/err-has-message',
    outgoing: (p) => {
      const r = replyTo(p, 'JOINROOM', '-ERR');
      return r ? { ...r, messages: [] } : undefined;
    },
  },
  {
    name: 'believes the sender field instead of the source address',
    catches: 'III/sender-is-source',
    incoming: (p, from, tools) => {
      if (p?.kind !== 'UserCommand' || key(p.sender) === key(from)) return undefined;
      if (p.command.verb === 'FIND' || p.command.verb === 'SEND') return undefined;
      tools.inject(p, { ip: p.sender.ip, port: p.sender.port });
      return 'drop';
    },
  },
  {
    name: 'answers replies it never asked for',
    catches: 'III/unsolicited-reply-ignored',
    incoming: (p, from, tools) => {
      if (p?.kind === 'ServerReply' && p.command.kind === 'UserCommand' && tools.alias)
        tools.send(
          {
            kind: 'ServerCommand',
            sender: { kind: 'Server', alias: tools.alias, ...tools.self },
            command: { verb: 'DISCOVER', alias: tools.alias },
          },
          from,
        );
      return undefined;
    },
  },
  stateful(
    () => {
      const seen = new Set<string>();
      return {
        incoming: (_p, _from, _tools, text) => {
          if (!text.includes(' SEND ')) return undefined;
          // Makes each copy differ by a trailing space: the server takes it for a new request.
          let copy = text;
          while (seen.has(copy)) copy += ' ';
          seen.add(copy);
          return copy === text ? undefined : copy;
        },
      };
    },
    'acts on a repeated SEND again',
    'III/repeat-acted-once',
  ),
  {
    name: 'answers unregistered sources at length',
    catches: 'III/no-amplification',
    outgoing: (p) =>
      p?.kind === 'ServerReply' && p.messages.some((m) => m.includes('not registered'))
        ? { ...p, messages: [...p.messages, 'x'.repeat(600)] }
        : undefined,
  },
  // IV
  {
    name: 'refuses EXIT',
    catches: 'IV/exit-ok',
    outgoing: flipped('EXIT', '+OK'),
  },
  {
    name: 'answers LIST with nobody',
    catches: 'IV/list',
    outgoing: withNobody('LIST'),
  },
  {
    name: 'leaves the room created out of LISTROOMS',
    catches: 'IV/createroom',
    outgoing: (p) => {
      const r = replyTo(p, 'LISTROOMS', '+OK');
      return r ? { ...r, messages: r.messages.filter((m) => !m.startsWith('created')) } : undefined;
    },
  },
  {
    name: 'answers +OK to CREATEROOM of an existing room',
    catches: 'IV/createroom-exists',
    outgoing: flipped('CREATEROOM', '-ERR'),
  },
  {
    name: 'answers ULIST with nobody',
    catches: 'IV/joinroom-ulist',
    outgoing: withNobody('ULIST'),
  },
  {
    name: 'answers +OK to JOINROOM of a missing room',
    catches: 'IV/joinroom-missing',
    outgoing: flipped('JOINROOM', '-ERR'),
  },
  {
    name: 'ignores LEAVEROOM',
    catches: 'IV/leaveroom',
    incoming: (p) => (isCommand(p, 'LEAVEROOM') ? 'drop' : undefined),
  },
  {
    name: 'does not deliver CSEND',
    catches: 'IV/csend',
    outgoing: (p, to) => {
      const r = replyTo(p, 'CSEND', '+OK');
      return r && key(r.command.sender) !== key(to) ? 'drop' : undefined;
    },
  },
  {
    name: 'answers +OK to CSEND outside a room',
    catches: 'IV/csend-no-room',
    outgoing: flipped('CSEND', '-ERR'),
  },
  {
    name: 'does not deliver SENDs to recipient',
    catches: 'IV/send-local',
    outgoing: (p, to) => {
      const r = replyTo(p, 'SEND', '+OK');
      if (r?.command.kind !== 'UserCommand' || r.command.command.verb !== 'SEND') return undefined;
      return key(r.command.sender) !== key(to) && r.command.command.alias.startsWith('recipient')
        ? 'drop'
        : undefined;
    },
  },
  {
    name: 'answers a bare +OK to SEND to nobody',
    catches: 'IV/send-unknown',
    outgoing: (p) => {
      const r = replyTo(p, 'SEND');
      if (r?.command.kind !== 'UserCommand' || r.command.command.verb !== 'SEND') return undefined;
      if (!r.command.command.alias.startsWith('nobody')) return undefined;
      return { ...r, status: '+OK', messages: [] };
    },
  },
  {
    name: 'collapses whitespace in delivered messages',
    catches: 'IV/message-any-characters',
    outgoing: (p) => {
      const r = replyTo(p, 'SEND', '+OK');
      if (r?.command.kind !== 'UserCommand' || r.command.command.verb !== 'SEND') return undefined;
      const message = r.command.command.message.replace(/\s+/g, ' ');
      return { ...r, command: { ...r.command, command: { ...r.command.command, message } } };
    },
  },
  {
    name: 'ignores ALIAS robert',
    catches: 'IV/alias-add',
    incoming: (p) =>
      p?.kind === 'UserCommand' && p.command.verb === 'ALIAS' && p.command.user.alias.startsWith('robert')
        ? 'drop'
        : undefined,
  },
  {
    name: 'ignores REMOVE',
    catches: 'IV/alias-remove',
    incoming: (p) => (isCommand(p, 'REMOVE') ? 'drop' : undefined),
  },
  {
    name: 'ignores SETALIAS',
    catches: 'IV/setalias',
    incoming: (p) => (isCommand(p, 'SETALIAS') ? 'drop' : undefined),
  },
  {
    name: 'answers +OK to ALIAS at another address',
    catches: 'IV/alias-other-address',
    outgoing: flipped('ALIAS', '-ERR'),
  },
  {
    name: 'refuses ports written with a leading zero',
    catches: 'IV/port-leading-zeros',
    incoming: (_p, _from, _tools, text) => (/\d+\.\d+\.\d+\.\d+\s+0\d{4}\b/.test(text) ? 'drop' : undefined),
  },
  {
    name: 'refuses a PREFERRED from an address written with leading zeros',
    catches: 'IV/ip-leading-zeros',
    incoming: (_p, _from, _tools, text) => {
      const ip = /\s(\d+\.\d+\.\d+\.\d+)\s/.exec(text)?.[1];
      return text.includes('PREFERRED') && ip?.split('.').some((b) => /^0\d/.test(b)) ? 'drop' : undefined;
    },
  },
  {
    name: 'echoes commands as they were written',
    catches: 'IV/canonical-echo',
    outgoing: (_p, _to, _tools, text) =>
      /\+OK USERNODE \S+ \S+ \d+ LIST/.test(text)
        ? text.replace('+OK USERNODE ', '+OK USERNODE  ')
        : undefined,
  },
  {
    name: 'reads only spaces between tokens',
    catches: 'IV/whitespace',
    // Only between tokens: a Message may hold any character.
    incoming: (_p, _from, _tools, text) =>
      /[\t\r\n]/.test(text.split(' MESSAGE')[0] ?? '') ? 'drop' : undefined,
  },
  {
    name: 'drops datagrams of 1001 to 1400 bytes',
    catches: 'IV/padding',
    incoming: (_p, _from, _tools, text) => (text.length > 1000 && text.length <= 1400 ? 'drop' : undefined),
  },
  {
    name: 'reads keywords in any case',
    catches: 'IV/keywords-upper-case',
    incoming: (_p, _from, _tools, text) =>
      text.includes(' createroom ') ? text.replace(' createroom ', ' CREATEROOM ') : undefined,
  },
  {
    name: 'refuses names that are keywords',
    catches: 'IV/keyword-as-alias',
    incoming: (p) =>
      p?.kind === 'UserCommand' && p.command.verb === 'CREATEROOM' && p.command.room === 'FIND'
        ? 'drop'
        : undefined,
  },
  {
    name: 'folds aliases to lower case',
    catches: 'IV/alias-case-sensitive',
    incoming: (p) =>
      p?.kind === 'UserCommand' &&
      p.command.verb === 'PREFERRED' &&
      p.sender.alias !== p.sender.alias.toLowerCase()
        ? { ...p, sender: { ...p.sender, alias: p.sender.alias.toLowerCase() } }
        : undefined,
  },
  {
    name: 'answers garbage with -ERR',
    catches: 'IV/garbage-ignored',
    incoming: (p, from, tools) => {
      if (p !== undefined || !tools.alias) return undefined;
      tools.send(
        {
          kind: 'ServerReply',
          sender: { kind: 'Server', alias: tools.alias, ...tools.self },
          status: '-ERR',
          command: {
            kind: 'UserCommand',
            sender: { kind: 'UserNode', alias: 'unknown', ...from },
            command: { verb: 'LIST' },
          },
          servers: [],
          users: [],
          messages: ['that was no packet'],
        },
        from,
      );
      return undefined;
    },
  },
  {
    name: 'reads a command with NUL after it',
    catches: 'IV/nul-after-command',
    incoming: (_p, _from, _tools, text) =>
      /[^\0]\0+$/.test(text) && !text.includes('MESSAGE') ? text.replace(/\0+$/, '') : undefined,
  },
  {
    name: 'drops datagrams over 1400 bytes',
    catches: 'IV/large-datagram-read',
    incoming: (_p, _from, _tools, text) => (text.length > 1400 ? 'drop' : undefined),
  },
];

/** Every planted server fault, made fresh (a fault with memory gets a new one each call). */
export function serverFaults(): Fault[] {
  return faults.map((f) => (typeof f === 'function' ? f() : f));
}
