/**
 * Failover and return-home times with real processes: `npm run bench:failover [-- --cycles N]`.
 *
 * Two `chat-proto server` processes (home, with a state file, and backup) on loopback multicast;
 * a user node registered at home. Each cycle SIGKILLs home, has the user send one message, and
 * restarts home from its state file on a new port. Reported, as medians with min-max:
 *   - failover: from the first unanswered send to the move to the backup, against the bound
 *     (N + 1) x T + 500 ms (the ratio must stay below 1): the first silent try, then N tries of
 *     the PREFERRED that checks whether the server lives;
 *   - return home: from the restarted server's "listening" line (and from its spawn) to the move
 *     home. Uses the built CLI: run `npm run build` first.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Server } from '../src/index.ts';
import { createUserNode } from '../src/node/index.ts';
import { randomChannel } from '../src/values.ts';
import { saveResults, spread } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '50' },
    timeout: { type: 'string', default: '200' },
    retries: { type: 'string', default: '3' },
  },
});
const cycles = Number(values.cycles);
const T = Number(values.timeout);
const N = Number(values.retries);
const bound = (N + 1) * T + 500;
const CLI = 'dist/cli/main.js';
const { ip: channelIp, port: channelPort } = randomChannel();
const channel = `${channelIp}:${channelPort}`;
const folder = mkdtempSync(join(tmpdir(), 'chat-proto-bench-failover-'));
const state = join(folder, 'home.json');

interface Started {
  child: ChildProcessWithoutNullStreams;
  port: number;
  spawnedAt: number;
  listeningAt: number;
}

/** Starts a server process; resolves when it prints its listening line (or fails after 10 s). */
function startServer(alias: string, extra: string[]): Promise<Started> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [
    CLI,
    'server',
    '--alias',
    alias,
    '--port',
    '0',
    '--channel',
    channel,
    '--gossip',
    '500',
    ...extra,
  ]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${alias} did not start within 10 s`)), 10_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, port: Number(match[1]), spawnedAt, listeningAt: performance.now() });
      }
    });
  });
}

function kill(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function stats(samples: number[]): string {
  const { median, min, max } = spread(samples);
  return `median ${median.toFixed(0)} ms (min ${min.toFixed(0)}, max ${max.toFixed(0)})`;
}

console.log(
  `failover benchmark: ${cycles} cycles, T = ${T} ms, N = ${N}, bound (N + 1) x T + 500 = ${bound} ms`,
);
console.log(`Node ${process.version}, ${availableParallelism()} CPUs, channel ${channel} on 127.0.0.1`);

const backup = await startServer('backup', []);
let home = await startServer('home', ['--state', state]);
await new Promise((resolve) => setTimeout(resolve, 1500)); // discovery and the first state write
const user = createUserNode({
  alias: 'ann',
  server: { ip: '127.0.0.1', port: home.port },
  timeout: T,
  retries: N,
  keepAlive: 0,
});
await user.start();
if (user.backups.length === 0) throw new Error('home has no neighbour: is multicast on 127.0.0.1 working?');

const failovers: number[] = [];
const returnsFromListening: number[] = [];
const returnsFromSpawn: number[] = [];
try {
  for (let cycle = 0; cycle < cycles; cycle++) {
    await kill(home.child);
    const moved = new Promise<number>((resolve) =>
      user.once('serverChanged', () => resolve(performance.now())),
    );
    const firstSend = performance.now();
    await user.send('ann', `cycle ${cycle}`).catch(() => undefined);
    failovers.push((await moved) - firstSend);

    const cameHome = new Promise<number>((resolve) =>
      user.on('serverChanged', function listener(_to: Server, _from: Server, reason: string) {
        if (reason !== 'home') return;
        user.off('serverChanged', listener);
        resolve(performance.now());
      }),
    );
    home = await startServer('home', ['--state', state]);
    const at = await Promise.race([
      cameHome,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`cycle ${cycle}: not home within 10 s`)), 10_000),
      ),
    ]);
    returnsFromListening.push(at - home.listeningAt);
    returnsFromSpawn.push(at - home.spawnedAt);
    process.stdout.write(`.${(cycle + 1) % 25 === 0 ? '\n' : ''}`);
  }
} finally {
  await user.close();
  await Promise.all([kill(home.child), kill(backup.child)]);
  rmSync(folder, { recursive: true, force: true });
}

const worst = Math.max(...failovers);
console.log(
  `\nfailover:                     ${stats(failovers)}; worst / bound = ${(worst / bound).toFixed(2)}`,
);
console.log(`return home, from listening:  ${stats(returnsFromListening)}`);
console.log(`return home, from spawn:      ${stats(returnsFromSpawn)}`);
const results = {
  failover: spread(failovers),
  bound,
  returnHomeFromListening: spread(returnsFromListening),
  returnHomeFromSpawn: spread(returnsFromSpawn),
};
console.log(`results: ${saveResults('failover', { cycles, T, N }, results)}`);
if (worst > bound) {
  console.log(`worst failover ${worst.toFixed(0)} ms exceeds the bound ${bound} ms`);
  process.exitCode = 1;
}
