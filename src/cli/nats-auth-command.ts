/**
 * `chat-proto nats-auth`: one nkey per node and the nats-server `authorization` block that lets
 * each node publish only as its own endpoint. Seeds already in DIR are kept, so nodes can be added
 * without re-keying the others.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { authorizationBlock, type NatsNodeIdentity } from '../node/nats/authorization.ts';
import { endpointKey } from '../node/transport.ts';
import { endpointFlag, parseFlags, UsageError } from './args.ts';

export const NATS_AUTH_HELP = `Usage: chat-proto nats-auth --dir DIR NAME=IP:PORT... [--user NAME=IP:PORT]...

Writes one nkey seed per node (DIR/NAME.nk, readable by its owner only) and DIR/auth.conf, a
nats-server authorization block to include in each cluster node's configuration. With it NATS
lets each node publish only as its own endpoint IP:PORT, so no node can speak as another.
A seed already in DIR is kept; run again with more nodes to add them.

  NAME=IP:PORT        a server (chat-proto server --port PORT --host IP --nats-nkey DIR/NAME.nk):
                      subscribes to its own endpoint and to every channel
  --user NAME=IP:PORT a user node on NATS (chat-proto user --nats ...): its own endpoint only
  --dir DIR           where the seeds and auth.conf go (created if missing)
  -h, --help          this help`;

const NAME = /^[A-Za-z0-9_-]+$/;

export async function natsAuthCommand(
  args: string[],
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    dir: { type: 'string' },
    user: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(NATS_AUTH_HELP);
    return 0;
  }
  if (values.dir === undefined) throw new UsageError('--dir is required');
  const wanted = await Promise.all([
    ...positionals.map((spec) => node(spec, 'server', 'a server')),
    ...(values.user ?? []).map((spec) => node(spec, 'user', '--user')),
  ]);
  if (wanted.length === 0) throw new UsageError('name at least one node as NAME=IP:PORT');
  for (const key of ['name', 'endpoint'] as const) {
    const seen = new Set<string>();
    for (const n of wanted) {
      const value = key === 'name' ? n.name : endpointKey(n.endpoint);
      if (seen.has(value)) throw new UsageError(`two nodes have the ${key} ${value}`);
      seen.add(value);
    }
  }
  const dir = values.dir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { createUser, fromSeed } = await import('@nats-io/nkeys');
  const identities: NatsNodeIdentity[] = [];
  for (const n of wanted) {
    const file = join(dir, `${n.name}.nk`);
    const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new Error(`cannot read ${file}: ${error.message}`);
    });
    let publicKey: string;
    if (existing === undefined) {
      const pair = createUser();
      // 'wx': never overwrite a seed that appeared meanwhile; 0600: the seed is the identity.
      await writeFile(file, `${new TextDecoder().decode(pair.getSeed())}\n`, { mode: 0o600, flag: 'wx' });
      publicKey = pair.getPublicKey();
    } else {
      try {
        publicKey = fromSeed(new TextEncoder().encode(existing.trim())).getPublicKey();
      } catch (error) {
        throw new Error(
          `${file} does not hold an nkey seed (${(error as Error).message}); move it away to make a new one`,
        );
      }
    }
    identities.push({ ...n, publicKey });
    io.out(
      `${n.name}: ${n.role} ${endpointKey(n.endpoint)}, key ${publicKey}, seed ${file}${existing === undefined ? '' : ' (kept)'}`,
    );
  }
  const conf = join(dir, 'auth.conf');
  await writeFileAtomic(conf, authorizationBlock(identities), { mode: 0o644 });
  io.out(`wrote ${conf}: add "include ${conf}" to each nats-server configuration`);
  return 0;
}

async function node(
  spec: string,
  role: 'server' | 'user',
  flag: string,
): Promise<Omit<NatsNodeIdentity, 'publicKey'>> {
  const at = spec.indexOf('=');
  const name = spec.slice(0, at);
  if (at < 0 || !NAME.test(name))
    throw new UsageError(
      `${flag}: expected NAME=IP:PORT with NAME of letters, digits, - and _, got "${spec}"`,
    );
  const endpoint = await endpointFlag(spec.slice(at + 1), flag);
  if (endpoint.port === 0)
    throw new UsageError(`${flag}: ${name} needs a fixed port, not 0: NATS knows it by it`);
  return { name, endpoint, role };
}
