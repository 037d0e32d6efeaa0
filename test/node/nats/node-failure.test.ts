/**
 * A NATS node SIGKILLed mid-conversation, and a leafnode as a second site: real nats-server
 * processes, servers on them, users by UDP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ChatUser, natsTransport } from '../../../src/node/index.ts';
import { problems, server, until, user } from '../helpers.ts';

/** Paces the conversation: the sender waits out `ms` between lines, as a person typing would. */
const pace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { NATS_SERVER, type NatsNode, NatsProcesses, NO_NATS_SERVER } from './cluster.ts';

const nats = new NatsProcesses();
let cluster: NatsNode[] = [];

beforeAll(async () => {
  if (NATS_SERVER) cluster = await nats.cluster(3);
});
afterAll(() => nats.stop());

function natsServer(alias: string, urls: string[]) {
  return server(alias, [{ ip: '230.0.0.1', port: 8450 }], {
    transport: natsTransport({ servers: urls, lan: true }),
    probeInterval: 50,
  });
}

/** Every direct message text `node` receives, in order. */
function collect(node: ChatUser): string[] {
  const texts: string[] = [];
  void (async () => {
    for await (const m of node.messages({ signal: AbortSignal.timeout(20_000) })) texts.push(m.text);
  })().catch(() => {});
  return texts;
}

describe.skipIf(!NATS_SERVER)(
  `NATS nodes failing, and sites${NATS_SERVER ? '' : ` (${NO_NATS_SERVER})`}`,
  () => {
    test('a NATS node SIGKILLed mid-conversation loses nothing the protocol retries do not recover', async () => {
      const [n1, n2, n3] = cluster as [NatsNode, NatsNode, NatsNode];
      // alpha is connected to n1 and knows n2; beta is on n3.
      const alpha = natsServer('alpha', [n1.url, n2.url]);
      const beta = natsServer('beta', [n3.url]);
      await alpha.start();
      await beta.start();
      await until(() => alpha.neighbours.isNeighbour(beta.self), 'alpha and beta to be neighbours');
      // The disconnect is reported as a warning-level error by the transport: expected here.
      alpha.removeAllListeners('error');
      const lost: Error[] = [];
      alpha.on('error', (e) => lost.push(e));
      const ann = await user('ann', alpha);
      const bob = await user('bob', beta);
      const received = collect(bob);
      const count = 40;
      for (let i = 0; i < count; i++) {
        if (i === 10) n1.process.kill('SIGKILL');
        await ann.send('bob', `message ${i}`);
        await pace(25); // the conversation goes on while alpha's client notices and reconnects
      }
      await until(
        () => received.length >= count,
        `bob to receive ${count} messages; got ${received.join(', ')}`,
      );
      // A late duplicate (a resend after the reconnect) was published before this last line, by the
      // same client, so it would reach bob before it.
      await ann.send('bob', 'last');
      await until(() => received.includes('last'), 'bob to receive the last line');
      expect(received).toEqual([...Array.from({ length: count }, (_, i) => `message ${i}`), 'last']);
      expect(lost.map((e) => e.message)).toEqual([expect.stringMatching(/^NATS: lost .*; reconnecting$/)]);
      expect(problems).toEqual([]);
    });

    test('a leafnode is a second site: its server federates with one on the hub cluster', async () => {
      const [hub] = cluster.filter((n) => n.process.exitCode === null && n.process.signalCode === null);
      const leafNode = await nats.leaf('site2', hub as NatsNode);
      const gamma = natsServer('gamma', [(hub as NatsNode).url]);
      const delta = natsServer('delta', [leafNode.url]);
      await gamma.start();
      await delta.start();
      await until(() => gamma.neighbours.isNeighbour(delta.self), 'gamma and delta to be neighbours');
      const ann = await user('ann', gamma);
      const dan = await user('dan', delta);
      const received = collect(dan);
      expect(await ann.find('dan')).toMatchObject({ user: { alias: 'dan' }, server: { alias: 'delta' } });
      await ann.send('dan', 'to the other site');
      await until(() => received.includes('to the other site'), 'dan to receive the message');
      expect(problems).toEqual([]);
    });
  },
);
