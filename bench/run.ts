/**
 * `npm run bench`: every benchmark, one after another (never two at once: they would share the
 * CPUs), then the report that writes docs/performance.md and its charts. Each script prints its
 * setup and writes bench/results/<name>.json. The failover benchmark runs the built CLI, so
 * `npm run build` comes first.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const steps: [string, string[]][] = [
  ['codec.ts', []],
  ['server.ts', []],
  ['fanout.ts', []],
  ['growth.ts', ['--expose-gc']],
  ['amplification.ts', []],
  ['load.ts', []],
  ['failover.ts', []],
  ['playground.ts', []],
  ['nats.ts', []],
  ['sim-scale.ts', ['--expose-gc']],
  ['federation.ts', ['--expose-gc', '--max-old-space-size=20480']],
  ['report.ts', []],
];
for (const [script, flags] of steps) {
  console.log(`\n== bench/${script}`);
  const run = spawnSync(process.execPath, [...flags, join(import.meta.dirname, script)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`bench/${script} failed (status ${run.status ?? run.signal})`);
    process.exit(1);
  }
}
