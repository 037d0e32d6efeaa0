/**
 * One task of bench/codec.ts, alone in this process: `node bench/codec-task.ts <task> <ms>`.
 * Runs it over its whole corpus for about <ms> with tinybench and prints `{"rate": N}`, N being
 * the elements per second at the median latency.
 */
import { Bench } from 'tinybench';
import { TASKS, type TaskName } from './lib/codec-tasks.ts';

const [name, ms] = process.argv.slice(2) as [TaskName, string];
const task = TASKS[name];
if (task === undefined) throw new Error(`unknown task ${name}; tasks: ${Object.keys(TASKS).join(', ')}`);
const inputs = task.inputs() as never[];
const run = task.run as (input: never) => unknown;
let sink = 0;
const bench = new Bench({ time: Number(ms), warmup: true, warmupTime: 300 });
bench.add(name, () => {
  for (const input of inputs) if (run(input)) sink++;
});
await bench.run();
const result = bench.getTask(name)?.result;
if (result?.state !== 'completed') throw new Error(`${name} did not complete: ${result?.state}`);
if (sink === 0) throw new Error(`${name} computed nothing`);
console.log(JSON.stringify({ rate: inputs.length / (result.latency.p50 / 1000), count: inputs.length }));
