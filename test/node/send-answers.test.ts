/**
 * SEND answers what is known: +OK naming the recipient's server once it took the message, -ERR
 * when nobody has the name, and "not confirmed" only where a server asked stays silent.
 */
import { expect, test } from 'vitest';
import { RequestError } from '../../src/node/index.ts';
import { minimalServer } from '../interop/nodes.ts';
import { problems, server, uniqueChannel, until, user } from './helpers.ts';

async function threeServers() {
  const channel = uniqueChannel();
  const [alpha, beta, gamma] = [
    server('alpha', [channel]),
    server('beta', [channel]),
    server('gamma', [channel]),
  ];
  const servers = [alpha, beta, gamma];
  await Promise.all(servers.map((s) => s.start()));
  await until(() => servers.every((s) => s.neighbours.size === 2), 'three neighbours');
  return { alpha, beta };
}

test('among reference servers, a SEND to a name nobody holds ends in -ERR within 2 s', async () => {
  const { alpha } = await threeServers();
  const ann = await user('ann', alpha);
  // The issue's bound: the answer must come within 2 s (it is built from the servers' answers,
  // not from a wait), else the request aborts and the code is not REFUSED.
  const error = await ann.send('nobody2', 'are you there', { signal: AbortSignal.timeout(2000) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestError);
  expect((error as RequestError).code).toBe('REFUSED');
  expect((error as RequestError).message).toMatch(
    /^SEND refused: nobody has nobody2: asked (beta|gamma), (beta|gamma)$/,
  );
  expect(problems).toEqual([]);
});

test('a SEND says which server took it, here or on another server, directory or not', async () => {
  const { alpha, beta } = await threeServers();
  const ann = await user('ann', alpha);
  await user('amy', alpha);
  await user('bob', beta);
  expect(await ann.send('amy', 'hi')).toEqual({ server: alpha.self, note: 'amy took it here' });
  // Before alpha's directory knows bob: asked of every neighbour.
  const result = await ann.send('bob', 'hi bob');
  expect(result.server).toEqual(beta.self);
  await until(() => alpha.directory.lookup('bob', Date.now()), 'alpha to know where bob is');
  expect(await ann.send('bob', 'again')).toEqual({ server: beta.self, note: "bob's server beta took it" });
});

test('a SEND passed to a spec-strict server that answers nothing about it is not confirmed, and says so', async () => {
  const channel = uniqueChannel();
  const alpha = server('alpha', [channel]);
  await alpha.start();
  const mini = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 300 });
  const relayed = () =>
    mini.received.some((r) => r.packet.kind === 'UserCommand' && r.packet.command.verb === 'SEND');
  await until(() => alpha.neighbours.list().some((n) => n.alias === 'mini'), 'mini to be a neighbour');
  const ann = await user('ann', alpha);
  const result = await ann.send('zed', 'hello?');
  expect(result).toEqual({ server: undefined, note: 'not confirmed: no answer from mini' });
  expect(relayed()).toBe(true);
});
