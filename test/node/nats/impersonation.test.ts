/**
 * Identities the wire cannot fake: `chat-proto nats-auth` keys a cluster, and a server started
 * with its own key but another node's endpoint is refused by NATS, says so in one line, exits
 * non-zero and disturbs nobody. Real processes: the built CLI and a 3-node nats-server cluster.
 */
import { createSocket } from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { until } from '../helpers.ts';
import { runCli } from '../processes.ts';
import { NATS_SERVER, type NatsNode, NatsProcesses, NO_NATS_SERVER } from './cluster.ts';

const nats = new NatsProcesses();
afterAll(() => nats.stop());

/** A UDP port free now on 127.0.0.1, for a node whose endpoint must be known before it starts. */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const dir = join(nats.dir, 'keys');
let [pa, pb, pc, pd] = [0, 0, 0, 0];
let cluster: NatsNode[] = [];

beforeAll(async () => {
  if (!NATS_SERVER) return;
  [pa, pb, pc, pd] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const auth = runCli([
    'nats-auth',
    '--dir',
    dir,
    `alpha=127.0.0.1:${pa}`,
    `beta=127.0.0.1:${pb}`,
    `gamma=127.0.0.1:${pc}`,
    '--user',
    `carol=127.0.0.1:${pd}`,
  ]);
  if ((await auth.exited) !== 0) throw new Error(`nats-auth failed: ${auth.errors.join('')}`);
  cluster = await nats.cluster(3, join(dir, 'auth.conf'));
});

describe.skipIf(!NATS_SERVER)(`NATS permissions${NATS_SERVER ? '' : ` (${NO_NATS_SERVER})`}`, () => {
  test('a server with its own key but another node endpoint is refused, in one line, and disturbs nobody', async () => {
    expect(statSync(join(dir, 'alpha.nk')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'auth.conf'), 'utf8')).toContain(`"chat.u.*.127-0-0-1-${pa}"`);
    const server = (alias: string, port: number, url: string, key: string) =>
      runCli([
        'server',
        '--alias',
        alias,
        '--port',
        String(port),
        '--gossip',
        '200',
        '--nats',
        url,
        '--nats-nkey',
        join(dir, `${key}.nk`),
      ]);
    const [n1, n2, n3] = cluster;
    const alpha = server('alpha', pa, n1?.url as string, 'alpha');
    const beta = server('beta', pb, n2?.url as string, 'beta');
    await alpha.waitFor(/^neighbour beta /);
    await beta.waitFor(/^neighbour alpha /);

    // alpha's key, gamma's endpoint.
    const mallory = server('mallory', pc, n3?.url as string, 'alpha');
    expect(await mallory.exited).toBe(1);
    const said = mallory.errors.join('').trim().split('\n');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      new RegExp(`^chat-proto: NATS refuses endpoint 127\\.0\\.0\\.1:${pc} to this node's key`),
    );
    expect(mallory.lines.filter((l) => l.startsWith('server mallory listening'))).toEqual([]);

    // Past the chat-proto CLI: a raw NATS client with alpha's key publishes gamma's DISCOVER on
    // the channel subject that names gamma as sender. NATS refuses it and delivers nothing.
    const { connect, nkeyAuthenticator } = await import('@nats-io/transport-node');
    const seed = new TextEncoder().encode(readFileSync(join(dir, 'alpha.nk'), 'utf8').trim());
    const raw = await connect({ servers: n3?.url, authenticator: nkeyAuthenticator(seed) });
    // What alpha and beta multicast: their gossip rounds, counted to see that the two go on.
    const rounds = { alpha: 0, beta: 0 };
    void (async () => {
      for await (const m of raw.subscribe('chat.c.>')) {
        if (m.subject.endsWith(`.127-0-0-1-${pa}`)) rounds.alpha++;
        if (m.subject.endsWith(`.127-0-0-1-${pb}`)) rounds.beta++;
      }
    })();
    const refusals: string[] = [];
    void (async () => {
      for await (const status of raw.status())
        if (status.type === 'error') refusals.push(status.error.message);
    })();
    raw.publish(`chat.c.230-0-0-1-8450.127-0-0-1-${pc}`, `SERVER gamma 127.0.0.1 ${pc} DISCOVER gamma`);
    await raw.flush();
    await until(() => refusals.length > 0, 'NATS to refuse the publish');
    expect(refusals[0]).toMatch(
      /Permissions Violation for Publish to "chat\.c\.230-0-0-1-8450\.127-0-0-1-\d+"/,
    );
    // Nobody heard of mallory or gamma, nobody reported a problem, and the two still gossip.
    const after = { ...rounds };
    await until(
      () => rounds.alpha >= after.alpha + 4 && rounds.beta >= after.beta + 4,
      'two more gossip rounds from each',
    );
    await raw.close();
    for (const node of [alpha, beta]) {
      expect(node.lines.filter((l) => /mallory|gamma|went silent/.test(l))).toEqual([]);
      expect(node.errors.join('')).toBe('');
    }
  });

  test('a key NATS does not know cannot connect at all', async () => {
    const [n1] = cluster;
    const stranger = runCli([
      'nats-auth',
      '--dir',
      join(nats.dir, 'strangers'),
      `zed=127.0.0.1:${await freePort()}`,
    ]);
    expect(await stranger.exited).toBe(0);
    const zed = runCli([
      'server',
      '--alias',
      'zed',
      '--port',
      '0',
      '--nats',
      n1?.url as string,
      '--nats-nkey',
      join(nats.dir, 'strangers', 'zed.nk'),
    ]);
    expect(await zed.exited).toBe(1);
    expect(zed.errors.join('').trim()).toMatch(
      /^chat-proto: cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*[Aa]uthorization/,
    );
  });

  test('chat-proto user --nats: a user node on NATS alone chats through a server, and only as its own endpoint', async () => {
    const [n1, n2] = cluster;
    const alpha = runCli([
      'server',
      '--alias',
      'alpha',
      '--port',
      String(pa),
      '--nats',
      n1?.url as string,
      '--nats-nkey',
      join(dir, 'alpha.nk'),
    ]);
    await alpha.waitFor(/^server alpha listening/);
    const user = (port: number) =>
      runCli([
        'user',
        '--alias',
        'carol',
        '--port',
        String(port),
        '--server',
        `127.0.0.1:${pa}`,
        '--nats',
        n2?.url as string,
        '--nats-nkey',
        join(dir, 'carol.nk'),
      ]);
    const carol = user(pd);
    await carol.waitFor(/connected to alpha at 127\.0\.0\.1:\d+ as carol/);
    await alpha.waitFor(new RegExp(`^user carol attached from 127\\.0\\.0\\.1:${pd}$`));
    // carol's key, another port: refused before anything is sent.
    const mallory = user(pb);
    expect(await mallory.exited).toBe(1);
    expect(mallory.errors.join('').trim()).toMatch(
      new RegExp(
        `^chat-proto: cannot register: NATS refuses endpoint 127\\.0\\.0\\.1:${pb} to this node's key`,
      ),
    );
    expect(alpha.lines.filter((l) => l.includes(String(pb)))).toEqual([]);
  });
});
