/**
 * Failover and recovery with real processes: servers are `chat-proto server` child processes on
 * real UDP and loopback multicast, killed with SIGKILL and started again from their state file.
 * How long failover and the return home take is measured by `npm run bench:failover`, not here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { type ChatMessage, type ChatUser, createUserNode } from '../../src/node/index.ts';
import { uniqueChannel, until } from './helpers.ts';
import { runCli, runServer } from './processes.ts';

const folder = mkdtempSync(join(tmpdir(), 'chat-proto-crash-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const open: ChatUser[] = [];
afterAll(async () => {
  await Promise.all(open.map((u) => u.close()));
});

function userAt(alias: string, port: number): ChatUser {
  const u = createUserNode({
    alias,
    server: { ip: '127.0.0.1', port },
    timeout: 200,
    retries: 3,
    keepAlive: 0,
  });
  open.push(u);
  return u;
}

test('SIGKILL the home server: its user fails over, keeps chatting, and returns when it restarts (3 cycles)', async () => {
  const { ip, port } = uniqueChannel();
  const channel = ['--channel', `${ip}:${port}`, '--gossip', '200'];
  const state = join(folder, 'home.json');
  const backup = await runServer('backup', channel);
  let home = await runServer('home', [...channel, '--state', state]);
  await home.waitFor(/^neighbour backup at /);

  const ann = userAt('ann', home.port);
  const bob = userAt('bob', backup.port);
  await Promise.all([ann.start(), bob.start()]);
  expect(ann.backups.map((s) => s.port)).toEqual([backup.port]);
  const bobGot: string[] = [];
  const annGot: string[] = [];
  bob.on('message', (m: ChatMessage) => bobGot.push(m.text));
  ann.on('message', (m: ChatMessage) => annGot.push(m.text));
  const sent: string[] = [];
  const say = async (text: string) => {
    await ann.send('bob', text);
    sent.push(text);
  };

  // A server killed before its state reached the disk has nothing to recover from: kill it only
  // once the file names its neighbour.
  const saved = () => {
    try {
      return (JSON.parse(readFileSync(state, 'utf8')) as { neighbours: unknown[] }).neighbours.length > 0;
    } catch {
      return false;
    }
  };

  for (let cycle = 0; cycle < 3; cycle++) {
    await until(saved, `home to save its neighbour (cycle ${cycle})`);
    home.child.kill('SIGKILL');
    expect(await home.exited).toBeNull(); // killed, not exited

    // The first request meets the dead server and waits out the failover; the rest go straight on.
    for (let i = 0; i < 5; i++) await say(`cycle ${cycle}: on backup ${i}`);
    expect(ann.server).toMatchObject({ alias: 'backup', port: backup.port });
    expect(ann.preferred.alias).toBe('home');
    expect(await bob.find('ann')).toMatchObject({ server: { alias: 'backup', port: backup.port } });
    expect(await ann.find('bob')).toMatchObject({ user: { alias: 'bob' } });
    await bob.send('ann', `cycle ${cycle}: hello on the backup`);
    await until(() => annGot.includes(`cycle ${cycle}: hello on the backup`), 'ann to hear bob');

    // Back from its state file on another port, under the same alias.
    const previous = home.port;
    home = await runServer('home', [...channel, '--state', state]);
    expect(home.port).not.toBe(previous);
    await until(() => ann.server.port === home.port, `ann to return home (cycle ${cycle})`, 10_000);
    expect(ann.server.alias).toBe('home');
    await home.waitFor(/^calling ann home from backup$/);
    for (let i = 0; i < 3; i++) await say(`cycle ${cycle}: home again ${i}`);
    expect(await bob.find('ann')).toMatchObject({ server: { alias: 'home', port: home.port } });
  }

  // Nothing ann sent after a failover (or before) was lost or duplicated.
  await until(() => bobGot.length >= sent.length, 'every message to reach bob');
  expect([...bobGot].sort()).toEqual([...sent].sort());
});

test('a user with no backup left says so and exits with status 1', async () => {
  const { ip, port } = uniqueChannel();
  const server = await runServer('only', ['--channel', `${ip}:${port}`]);
  const user = runCli([
    'user',
    '--alias',
    'cat',
    '--port',
    '0',
    '--server',
    `127.0.0.1:${server.port}`,
    '--timeout',
    '100',
    '--keep-alive',
    '100',
  ]);
  await user.waitFor(/-!- connected to only /);
  server.child.kill('SIGKILL');
  expect(await user.exited).toBe(1);
  await user.waitFor(/-!- only at 127\.0\.0\.1:\d+ stopped answering and no backup server took us; exiting$/);
  expect(user.errors.join('')).toBe('');
});
