/**
 * Servers federated only through a real 3-node nats-server cluster, their users by UDP: FIND,
 * SEND and a room across the cluster, and a user node on NATS alone.
 */

import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ChatMessage,
  type ChatUser,
  type Endpoint,
  natsTransport,
  type ServerOptions,
} from '../../../src/node/index.ts';
import { problems, server, until, user } from '../helpers.ts';
import { NATS_SERVER, type NatsNode, NatsProcesses, NO_NATS_SERVER } from './cluster.ts';

const nats = new NatsProcesses();
let cluster: NatsNode[] = [];

beforeAll(async () => {
  if (NATS_SERVER) cluster = await nats.cluster(3);
});
afterAll(() => nats.stop());

/** The next message `node` receives. */
function nextMessage(node: ChatUser): Promise<ChatMessage> {
  const messages = node.messages({ signal: AbortSignal.timeout(5000) });
  return messages.next().then((r) => {
    void messages.return();
    if (r.done) throw new Error(`${node.self.alias} received nothing`);
    return r.value;
  });
}

/** A server on cluster node `node`, serving users by UDP. */
function natsServer(
  alias: string,
  node: NatsNode,
  transport = natsTransport({ servers: [node.url], lan: true }),
  options: Partial<ServerOptions> = {},
) {
  return server(alias, [{ ip: '230.0.0.1', port: 8450 }], { transport, probeInterval: 50, ...options });
}

describe.skipIf(!NATS_SERVER)(
  `servers joined only through NATS${NATS_SERVER ? '' : ` (${NO_NATS_SERVER})`}`,
  () => {
    test('two servers on different cluster nodes find each other, and their UDP users FIND and SEND across', async () => {
      const [n1, , n3] = cluster as [NatsNode, NatsNode, NatsNode];
      const alphaTransport = natsTransport({ servers: [n1.url], lan: true });
      const alpha = natsServer('alpha', n1, alphaTransport);
      const beta = natsServer('beta', n3);
      await alpha.start();
      await beta.start();
      await until(
        () => alpha.neighbours.isNeighbour(beta.self) && beta.neighbours.isNeighbour(alpha.self),
        'alpha and beta to be neighbours',
      );
      const ann = await user('ann', alpha);
      const bob = await user('bob', beta);
      expect(await ann.find('bob')).toMatchObject({ user: { alias: 'bob' }, server: { alias: 'beta' } });
      const received = nextMessage(bob);
      await ann.send('bob', 'across the cluster');
      expect(await received).toMatchObject({
        kind: 'direct',
        text: 'across the cluster',
        from: { alias: 'ann' },
      });
      // Server to server by NATS only, the server's own user by UDP only.
      expect(alphaTransport.wayTo(beta.self)).toBe('nats');
      expect(alphaTransport.wayTo(alpha.channels[0] as Endpoint)).toBe('nats');
      expect(alphaTransport.wayTo(ann.self)).toBe('udp');
      expect(problems).toEqual([]);
    });

    test('a second server with a taken alias is renamed, through NATS', async () => {
      const [n1, n2] = cluster as [NatsNode, NatsNode];
      const first = natsServer('gamma', n1);
      await first.start();
      const second = natsServer('gamma', n2);
      const claimed = await second.start();
      expect(claimed.alias).toBe('gamma2');
    });

    test('a user node on NATS alone shares a room with a UDP user of a server on another cluster node', async () => {
      const [n1, n2] = cluster as [NatsNode, NatsNode];
      const delta = natsServer('delta', n1);
      await delta.start();
      const ann = await user('ann', delta);
      const carol = await user('carol', delta, {
        transport: natsTransport({ servers: [n2.url], port: 47001 }),
      });
      await ann.createRoom('lobby');
      await carol.join('lobby');
      const toCarol = nextMessage(carol);
      await ann.say('hello over NATS');
      expect(await toCarol).toMatchObject({ kind: 'room', room: 'lobby', text: 'hello over NATS' });
      const toAnn = nextMessage(ann);
      await carol.say('hello over UDP');
      expect(await toAnn).toMatchObject({ kind: 'room', room: 'lobby', text: 'hello over UDP' });
      expect(await carol.find('ann')).toMatchObject({ user: { alias: 'ann' }, server: { alias: 'delta' } });

      // carol speaks on NATS: a datagram by UDP from her address is forged, and dropped.
      const next = nextMessage(ann);
      const forger = createSocket('udp4');
      await new Promise<void>((resolve) => forger.bind(carol.self.port, '127.0.0.1', resolve));
      forger.send(
        `USERNODE carol 127.0.0.1 ${carol.self.port} CSEND MESSAGE forged\0`,
        delta.self.port,
        '127.0.0.1',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      forger.close();
      await carol.say('the real carol');
      expect(await next).toMatchObject({ text: 'the real carol' });
      expect(problems).toEqual([]);
    });

    test('a UDP user fails over to a server met only through NATS, and is called home when its server restarts', async () => {
      const [n1, , n3] = cluster as [NatsNode, NatsNode, NatsNode];
      const state = join(nats.dir, 'epsilon.json');
      const epsilon = natsServer('epsilon', n1, natsTransport({ servers: [n1.url], lan: true }), { state });
      const zeta = natsServer('zeta', n3);
      await Promise.all([epsilon.start(), zeta.start()]);
      await until(() => epsilon.neighbours.isNeighbour(zeta.self), 'epsilon and zeta to be neighbours');
      await epsilon.stateWritten();
      const ann = await user('ann', epsilon);
      await until(() => ann.backups.some((b) => b.alias === 'zeta'), 'ann to learn zeta from KNOWNSERVERS');
      const port = epsilon.self.port;
      await epsilon.close();
      await ann.rooms().catch(() => undefined); // any request: it meets the dead server
      expect(ann.server.alias).toBe('zeta');

      const moves: string[] = [];
      ann.on('serverChanged', (to, from, reason) => moves.push(`${from.alias}->${to.alias} ${reason}`));
      const reborn = natsServer(
        'anything',
        n1,
        natsTransport({ servers: [n1.url], lan: true, port: port + 1 }),
        {
          state,
        },
      );
      const self = await reborn.start();
      expect(self.alias).toBe('epsilon');
      await until(() => ann.server.port === self.port, 'ann to come home');
      expect(moves).toEqual(['zeta->epsilon home']);
      expect(zeta.registry.holding('ann')).toBeUndefined();
      expect(problems).toEqual([]);
    });

    test('JOINCHANNEL across NATS: the invited server subscribes to the channel, under the same refusal rules', async () => {
      const [n1, n2] = cluster as [NatsNode, NatsNode];
      const eta = natsServer('eta', n1);
      const theta = natsServer('theta', n2);
      await Promise.all([eta.start(), theta.start()]);
      await until(() => eta.neighbours.isNeighbour(theta.self), 'eta and theta to be neighbours');
      const privateChannel = { ip: '239.7.7.7', port: 9700 };
      expect(await eta.inviteToChannel(theta.self, privateChannel)).toBe('+OK');
      await until(() => eta.channels.length === 2, 'eta to join the channel after the +OK');
      expect(theta.channels).toContainEqual(privateChannel);
      // 224.0.0.0/24 is every host's: refused as on UDP.
      expect(await eta.inviteToChannel(theta.self, { ip: '224.0.0.5', port: 9700 })).toBe('-ERR');
      expect(theta.channels).not.toContainEqual({ ip: '224.0.0.5', port: 9700 });
      expect(problems).toEqual([]);
    });
  },
);
