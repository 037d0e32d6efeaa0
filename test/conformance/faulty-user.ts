/**
 * A reference user node with one planted fault, run as a process by the conformance self-test:
 * `node test/conformance/faulty-user.ts FAULT --alias A --server IP:PORT [--timeout MS]
 * [--retries N] [--keep-alive MS]`. It prints each message it is delivered, exits with status 1
 * when its server failed and no backup took it (unless the fault says otherwise), and leaves on
 * SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createUserNode } from '../../src/node/index.ts';
import { faultyTransport } from './fault-transport.ts';
import { userFaults } from './user-faults.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    alias: { type: 'string' },
    server: { type: 'string' },
    timeout: { type: 'string', default: '200' },
    retries: { type: 'string', default: '2' },
    'keep-alive': { type: 'string', default: '400' },
  },
});
const fault = userFaults().find((f) => f.catches === positionals[0]);
if (!fault || !values.alias || !values.server)
  throw new Error(`usage: faulty-user.ts CASE --alias A --server IP:PORT`);
const [ip, port] = values.server.split(':');
const node = createUserNode({
  alias: values.alias,
  server: { ip: ip as string, port: Number(port) },
  timeout: Number(values.timeout),
  retries: Number(values.retries),
  keepAlive: Number(values['keep-alive']),
  transport: faultyTransport(fault),
});
node.on('message', (m) => console.log(`${m.from.alias}: ${m.text}`));
node.on('serverLost', () => {
  if (!fault.stays) void node.close().then(() => process.exit(1));
});
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
await node.start();
console.log(`registered as ${values.alias}`);
