/**
 * Real nats-server processes for tests and benchmarks: a cluster (and leafnodes) on ports chosen
 * at run time on 127.0.0.1, never 4222, which a system service may hold. The first node listens
 * on free ports and writes them to a ports file; the others route to it, and gossip makes the
 * full mesh.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** The nats-server binary, or undefined when it is not installed (tests then skip, saying why). */
export const NATS_SERVER: string | undefined = (() => {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  return undefined;
})();

export const NO_NATS_SERVER = 'nats-server is not installed (apt-get install nats-server; .ci/run does)';

/** One running nats-server. */
export interface NatsNode {
  name: string;
  /** Client URL, nats://127.0.0.1:PORT. */
  url: string;
  /** Monitoring URL, http://127.0.0.1:PORT. */
  monitor: string;
  /** Route (cluster) URL, for another node to join. */
  route: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** Options of one node: a file to include (e.g. auth.conf), a cluster to join, a hub. */
export interface NatsNodeOptions {
  /** A configuration file to include, e.g. the auth.conf of `chat-proto nats-auth`. */
  include?: string;
  /** Joins the cluster of this node (its route URL). */
  routeTo?: string;
  /** This node is a leafnode of the hub at this leafnode URL. */
  leafOf?: string;
  /** Accept leafnode connections. */
  hub?: boolean;
}

/** Starts and stops nats-server processes in one temporary directory. */
export class NatsProcesses {
  readonly dir = mkdtempSync(join(tmpdir(), 'chat-nats-'));
  readonly nodes: NatsNode[] = [];

  /** Starts one node and resolves once it accepts clients. */
  async start(name: string, options: NatsNodeOptions = {}): Promise<NatsNode> {
    if (!NATS_SERVER) throw new Error(NO_NATS_SERVER);
    const dir = join(this.dir, name);
    rmSync(dir, { recursive: true, force: true });
    const portsDir = join(dir, 'ports');
    const conf = join(dir, 'nats.conf');
    execFileSync('mkdir', ['-p', portsDir]);
    const lines = [
      `server_name: ${name}`,
      'listen: 127.0.0.1:-1',
      'http: 127.0.0.1:-1',
      options.leafOf
        ? `leafnodes { remotes: [ { url: "${options.leafOf}" } ] }`
        : `cluster { name: chat, listen: 127.0.0.1:-1${options.routeTo ? `, routes: ["${options.routeTo}"]` : ''} }`,
      options.hub ? 'leafnodes { listen: 127.0.0.1:-1 }' : '',
      // nats-server reads an include relative to the including file.
      options.include ? `include "${relative(dir, options.include)}"` : '',
    ];
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const log = join(dir, 'nats.log');
    const child = spawn(NATS_SERVER, ['-c', conf, '--ports_file_dir', portsDir, '--log', log], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ports = await waitFor(
      () => {
        const file = readdirSync(portsDir).find((f) => f.endsWith('.ports'));
        if (!file) return undefined;
        try {
          return JSON.parse(readFileSync(join(portsDir, file), 'utf8')) as Record<string, string[]>;
        } catch {
          return undefined; // written as we read
        }
      },
      () => `nats-server ${name} to write its ports (it said: ${stderr.trim() || 'nothing'})`,
    );
    const node: NatsNode = {
      name,
      url: ports.nats?.[0] as string,
      monitor: ports.monitoring?.[0] as string,
      route: (ports.cluster?.[0] ?? '').replace('nats://', 'nats-route://'),
      process: child,
      exited,
    };
    this.nodes.push(node);
    return node;
  }

  /** A 3-node (or `size`-node) cluster whose routes are all up; each node accepts leafnodes. */
  async cluster(size = 3, include?: string): Promise<NatsNode[]> {
    const first = await this.start('n1', { include, hub: true });
    const rest: NatsNode[] = [];
    for (let i = 2; i <= size; i++)
      rest.push(await this.start(`n${i}`, { include, routeTo: first.route, hub: true }));
    const nodes = [first, ...rest];
    await Promise.all(nodes.map((n) => waitForRoutes(n, size - 1)));
    return nodes;
  }

  /** A leafnode attached to `hub` (started with `hub: true`), once the hub counts it. */
  async leaf(name: string, hub: NatsNode): Promise<NatsNode> {
    const varz = (await (await fetch(`${hub.monitor}/varz`)).json()) as { leaf: { port: number } };
    const leaf = await this.start(name, { leafOf: `nats-leaf://127.0.0.1:${varz.leaf.port}` });
    await waitForJson(
      `${hub.monitor}/leafz`,
      (z: { leafnodes: number }) => z.leafnodes >= 1,
      `${name} to attach`,
    );
    return leaf;
  }

  /** SIGKILLs every node and removes the directory. */
  async stop(): Promise<void> {
    for (const node of this.nodes) node.process.kill('SIGKILL');
    await Promise.all(this.nodes.map((n) => n.exited));
    this.nodes.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForRoutes(node: NatsNode, routes: number): Promise<void> {
  await waitForJson(
    `${node.monitor}/routez`,
    (z: { num_routes: number }) => z.num_routes >= routes,
    `${node.name} to route to ${routes} nodes`,
  );
}

async function waitForJson<T>(url: string, ok: (json: T) => boolean, what: string): Promise<void> {
  await waitFor(async () => {
    try {
      return ok((await (await fetch(url)).json()) as T) || undefined;
    } catch {
      return undefined;
    }
  }, what);
}

async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string | (() => string),
): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
