/**
 * Section II.ii from the configuration: alpha invites beta onto a private channel once beta is
 * its neighbour (`group`), and beta, accepting, leaves the channel it was on (`leaveOnInvite`) and
 * saves that. gamma, left on the original channel, stops hearing beta's gossip, and FIND between
 * gamma's and beta's users still works.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Endpoint } from '../../src/node/index.ts';
import { problems, server, uniqueChannel, until, user } from './helpers.ts';
import { CLI, runServer } from './processes.ts';

const key = (e: Endpoint) => `${e.ip}:${e.port}`;

test('alpha forms a private group with beta, beta leaving the original channel; FIND still crosses', async () => {
  const original = uniqueChannel();
  const secret = uniqueChannel();
  const state = join(mkdtempSync(join(tmpdir(), 'group-')), 'beta.json');
  const alpha = server('alpha', [original], { group: { channel: secret, invite: ['beta'] } });
  const beta = server('beta', [original], { leaveOnInvite: true, state });
  const gamma = server('gamma', [original]);
  await Promise.all([alpha.start(), beta.start(), gamma.start()]);

  await until(
    () => beta.channels.length === 1 && key(beta.channels[0] as Endpoint) === key(secret),
    'beta to move',
  );
  expect(alpha.channels.map(key).sort()).toEqual([key(original), key(secret)].sort());
  await beta.stateWritten();
  expect(JSON.parse(readFileSync(state, 'utf8')).channels).toEqual([secret]);

  // From alpha's next round of gossip heard on the original channel, gamma hears none of beta's.
  let alphaRounds = 0;
  let betaGossip = 0;
  gamma.on('packetIn', (packet, from) => {
    if (packet.kind !== 'ServerCommand' || packet.command.verb !== 'KNOWNUSERS') return;
    if (from.port === alpha.self.port) alphaRounds++;
    if (from.port === beta.self.port && alphaRounds > 0) betaGossip++;
  });
  await until(() => alphaRounds >= 4, 'gamma to hear four rounds of alpha’s gossip');
  expect(betaGossip).toBe(0);

  const [bob, cid] = await Promise.all([user('bob', beta), user('cid', gamma)]);
  expect((await cid.find('bob'))?.server.alias).toBe('beta');
  expect((await bob.find('cid'))?.server.alias).toBe('gamma');

  // Restarted from its state file, beta stays where the invitation put it.
  await beta.close();
  const again = server('beta', [original], { leaveOnInvite: true, state });
  await again.start();
  expect(again.channels.map(key)).toEqual([key(secret)]);
  expect(problems).toEqual([]);
});

test('chat-proto server --group IP:PORT --invite ALIAS forms the group; --leave-on-invite leaves the original, saved', async () => {
  const original = uniqueChannel();
  const secret = uniqueChannel();
  const state = join(mkdtempSync(join(tmpdir(), 'group-')), 'beta.json');
  const channel = ['--channel', key(original), '--gossip', '200'];
  const beta = await runServer('beta', [...channel, '--leave-on-invite', '--state', state]);
  const alpha = await runServer('alpha', [...channel, '--group', key(secret), '--invite', 'beta']);
  await beta.waitFor(new RegExp(`^channels now ${key(secret)}$`));
  await alpha.waitFor(new RegExp(`^channels now ${key(original)}, ${key(secret)}$`));
  const saved = () => JSON.parse(readFileSync(state, 'utf8')).channels.map(key);
  await until(() => saved().includes(key(secret)), 'beta to save its move');
  expect(saved()).toEqual([key(secret)]);
});

test('--invite without --group, and --group without --invite, are usage errors', () => {
  for (const [args, message] of [
    [['--invite', 'beta'], '--invite needs --group IP:PORT, the channel to invite onto'],
    [['--group', '239.1.2.3:9000'], '--group needs at least one --invite ALIAS'],
  ] as const) {
    const run = spawnSync(process.execPath, [CLI, 'server', '--alias', 'x', '--port', '0', ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr.toString()).toMatch(new RegExp(`^chat-proto: ${message}`));
  }
});
