/**
 * Load: `npm run bench:load [-- --users N --rate R --seconds S]`. User nodes over three servers
 * on loopback (all in this process, real UDP), in rooms, sending SEND and CSEND at an aggregate
 * rate for a fixed time; every message accounted for. Reports delivered rate and direct-message
 * latency (p50, p99). Defaults: 1,000 users, 500 messages/s, 10 s, 30% room messages.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { randomChannel } from '../src/values.ts';
import { runLoad } from '../test/node/load.ts';
import { saveResults } from './lib/results.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
  },
});
const options = {
  users: Number(values.users),
  rate: Number(values.rate),
  seconds: Number(values.seconds),
  roomShare: 0.3,
  roomsPerServer: 10,
  channel: randomChannel(),
};
console.log(
  `load: ${options.users} users on 3 servers, ${options.rate} messages/s for ${options.seconds} s, ` +
    `${options.roomShare * 100}% room messages; Node ${process.version}, ${availableParallelism()} CPUs`,
);
const result = await runLoad(options);
console.log(
  `sent ${result.sent}: accepted ${result.accepted}, refused ${result.refused}, failed ${result.failed}`,
);
console.log(
  `SEND accepted: delivered once ${result.sendDeliveredOnce}, duplicated ${result.sendDuplicated}, lost ${result.sendLost}`,
);
console.log(`CSEND deliveries: ${result.roomDelivered} of ${result.roomExpected} expected`);
console.log(
  `delivered ${result.deliveredPerSecond.toFixed(0)} messages/s; SEND latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
);
const { channel: _, ...setup } = options;
console.log(`results: ${saveResults('load', setup, { result })}`);
if (
  result.failed > 0 ||
  result.sendLost > 0 ||
  result.sendDuplicated > 0 ||
  result.roomDelivered !== result.roomExpected
) {
  process.exitCode = 1;
}
