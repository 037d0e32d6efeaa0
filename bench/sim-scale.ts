/**
 * Growth in virtual time: `npm run bench:sim-scale`. Writes bench/results/sim-scale.json, from
 * which `npm run bench:report` (or `-- --only sim-scale`, this section alone) writes its section.
 *
 * The simulator (sim/) runs real servers and real user nodes (each with its own timers, keep-alive
 * and failover) on the in-memory network, no faults, for one virtual minute of workload, at
 * growing sizes: servers on channels of 10 joined by bridging servers, 10 users per server by
 * default. Measured per size: wall time, datagrams and bytes each server sends per virtual second,
 * FIND latency (virtual ms, p50 / p99), heap after GC per server (user nodes included, as they
 * share the process), and the violations the checker finds. A size that would take longer than
 * `--limit` wall seconds (extrapolated from the one before) is not run, and says so.
 */
import { parseArgs } from 'node:util';
import { scheduleFor, simulate } from '../sim/run.ts';
import { percentile, printSetup, saveResults } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '10,30,100,300,1000' },
    'users-per-server': { type: 'string', default: '10' },
    minutes: { type: 'string', default: '1' },
    limit: { type: 'string', default: '900' },
  },
});
const sizes = values.servers.split(',').map(Number);
const perServer = Number(values['users-per-server']);
const minutes = Number(values.minutes);
const limit = Number(values.limit);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:sim-scale does)');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

printSetup('sim-scale', { servers: values.servers, usersPerServer: perServer, minutes });
const rows = [];
const skipped: { servers: number; users: number; why: string }[] = [];
let lastWallPerNode = 0;
for (const servers of sizes) {
  const users = servers * perServer;
  const estimate = lastWallPerNode * (servers + users);
  if (estimate > limit) {
    const why = `estimated ${Math.round(estimate)} s of wall time from the size before, over the ${limit} s limit`;
    skipped.push({ servers, users, why });
    console.log(`${servers} servers, ${users} users: not run (${why})`);
    continue;
  }
  const channels = Math.max(1, Math.ceil(servers / 10));
  const before = heap();
  const started = performance.now();
  const result = await simulate(scheduleFor({ seed: 1, servers, users, channels, minutes, faults: [] }));
  const wall = (performance.now() - started) / 1000;
  const heapBytes = heap() - before;
  lastWallPerNode = wall / (servers + users);
  const seconds = result.virtualMs / 1000;
  const starts = new Map<string, number>();
  const finds: number[] = [];
  for (const e of result.trace) {
    if (e.op !== 'find') continue;
    if (e.kind === 'op') starts.set(`${e.node} ${e.alias}`, e.t);
    if (e.kind === 'ok' && e.foundPort) finds.push(e.t - (starts.get(`${e.node} ${e.alias}`) ?? e.t));
  }
  const row = {
    servers,
    users,
    channels,
    wallSeconds: wall,
    virtualSeconds: seconds,
    datagrams: result.datagrams,
    serverDatagramsPerSecond: result.sent.server.datagrams / servers / seconds,
    serverBytesPerSecond: result.sent.server.bytes / servers / seconds,
    userBytesPerSecond: result.sent.user.bytes / users / seconds,
    find: { count: finds.length, p50: percentile(finds, 50), p99: percentile(finds, 99) },
    heapBytesPerServer: heapBytes / servers,
    violations: result.violations.length,
    violationKinds: [...new Set(result.violations.map((v) => v.what.replace(/[a-z]*\d[\w.]*/g, '#')))],
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log(saveResults('sim-scale', { usersPerServer: perServer, minutes }, { rows, skipped }));
