/**
 * Several hosts: three network namespaces, each with one interface, joined by veth pairs to a
 * bridge that lives in a fourth namespace. Nothing is connected to this machine's own interfaces.
 * One server per "host", each bound to and multicasting on its own address. Needs root and
 * iproute2's `ip`; without them the test is skipped and says why.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { until } from './helpers.ts';
import { type CliProcess, runCli } from './processes.ts';

const prefix = `cp${process.pid % 100_000}`;
const hosts = ['a', 'b', 'c'] as const;
const bridgeNs = `${prefix}br`;
const ns = (host: string) => `${prefix}${host}`;
const address = (host: string) => `10.77.0.${hosts.indexOf(host as (typeof hosts)[number]) + 1}`;
const bridgePort = (host: string) => `${prefix}p${host}`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Why namespaces cannot be used here, or undefined when they can. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux-only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'pipe' });
  } catch {
    return 'iproute2 (`ip`) is not installed';
  }
  try {
    ip('netns', 'add', `${prefix}probe`);
    ip('netns', 'del', `${prefix}probe`);
  } catch (error) {
    return `\`ip netns add\` failed: ${(error as { stderr?: Buffer }).stderr?.toString().trim()}`;
  }
  return undefined;
}

function teardown(): void {
  for (const name of [...hosts.map(ns), bridgeNs]) {
    try {
      ip('netns', 'del', name);
    } catch {
      // not created
    }
  }
}

const reason = unavailable();
if (reason) console.warn(`hosts.test.ts: the multi-host test is skipped: ${reason}`);

const servers: CliProcess[] = [];
beforeAll(() => {
  if (reason) return;
  teardown();
  ip('netns', 'add', bridgeNs);
  // Multicast snooping off: with no IGMP querier on this little LAN, the bridge should flood.
  ip('-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
  ip('-n', bridgeNs, 'link', 'set', 'br0', 'up');
  for (const host of hosts) {
    ip('netns', 'add', ns(host));
    ip(
      'link',
      'add',
      `${prefix}e${host}`,
      'netns',
      ns(host),
      'type',
      'veth',
      'peer',
      'name',
      bridgePort(host),
      'netns',
      bridgeNs,
    );
    ip('-n', bridgeNs, 'link', 'set', bridgePort(host), 'master', 'br0', 'up');
    ip('-n', ns(host), 'addr', 'add', `${address(host)}/24`, 'dev', `${prefix}e${host}`);
    ip('-n', ns(host), 'link', 'set', `${prefix}e${host}`, 'up');
    ip('-n', ns(host), 'link', 'set', 'lo', 'up');
  }
});
afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  if (!reason) teardown();
});

test.skipIf(reason !== undefined)(
  'three hosts discover each other by multicast across a bridge, and a user fails over when its host is cut off',
  async () => {
    for (const host of hosts) {
      const at = address(host);
      const server = runCli(
        ['server', '--alias', host, '--host', at, '--interface', at, '--port', '8000', '--gossip', '300'],
        ns(host),
      );
      servers.push(server);
      await server.waitFor(new RegExp(`^server ${host} listening on ${at.replaceAll('.', '\\.')}:8000`));
    }
    for (const [i, server] of servers.entries()) {
      for (const other of hosts.filter((_, j) => j !== i)) {
        await server.waitFor(
          new RegExp(`^neighbour ${other} at ${address(other).replaceAll('.', '\\.')}:8000$`),
        );
      }
    }

    // A user on host c whose server is on host a; then host a's cable is pulled.
    const user = runCli(
      [
        'user',
        '--alias',
        'dana',
        '--host',
        address('c'),
        '--port',
        '5001',
        '--server',
        `${address('a')}:8000`,
        '--timeout',
        '200',
        '--keep-alive',
        '200',
      ],
      ns('c'),
    );
    servers.push(user);
    await user.waitFor(/-!- connected to a at 10\.77\.0\.1:8000 as dana/);
    // Cut a off only once dana knows both backups (asked at most 25 times).
    const both = /-!- on a at 10\.77\.0\.1:8000; home a; backups (b, c|c, b)$/;
    const answers = () => user.lines.filter((line) => line.includes('-!- on a at ')).length;
    for (let ask = 0; ask < 25 && !user.lines.some((line) => both.test(line)); ask++) {
      const before = answers();
      user.type('/servers');
      await until(() => answers() > before, 'the answer to /servers');
    }
    await user.waitFor(both);
    ip('-n', bridgeNs, 'link', 'set', bridgePort('a'), 'down');
    const moved = await user.waitFor(/-!- a stopped answering; now on [bc] at 10\.77\.0\.[23]:8000$/, 10_000);
    const backup = /now on ([bc])/.exec(moved)?.[1] as string;
    expect(['b', 'c']).toContain(backup);
    await servers[hosts.indexOf(backup as (typeof hosts)[number])]?.waitFor(
      /^user dana attached from 10\.77\.0\.3:5001$/,
    );
    user.type('/find dana');
    await user.waitFor(new RegExp(`-!- dana is at 10\\.77\\.0\\.3:5001 on ${backup}$`));
    expect(user.errors.join('')).toBe('');
  },
);
