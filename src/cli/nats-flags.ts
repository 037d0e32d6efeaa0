/** The `--nats URL` and `--nats-nkey FILE` flags shared by `server` and `user`. */
import { readFile } from 'node:fs/promises';
import { natsTransport, type Transport } from '../node/index.ts';
import { UsageError } from './args.ts';

/** A NATS transport for the flags, or undefined when no `--nats` is given. */
export async function natsFlags(
  urls: string[] | undefined,
  nkeyFile: string | undefined,
  endpoint: { host: string; port: number; lan: boolean },
): Promise<Transport | undefined> {
  if (urls === undefined || urls.length === 0) {
    if (nkeyFile !== undefined) throw new UsageError('--nats-nkey needs --nats');
    return undefined;
  }
  for (const url of urls) {
    if (!/^nats:\/\/[^\s/]+:\d+$/.test(url))
      throw new UsageError(`--nats: expected a URL like nats://127.0.0.1:4222, got "${url}"`);
  }
  if (!endpoint.lan && endpoint.port === 0)
    throw new UsageError('--port: a node on NATS only is known by its port; give one (1-65535), not 0');
  return natsTransport({
    servers: urls,
    host: endpoint.host,
    port: endpoint.port,
    lan: endpoint.lan,
    ...(nkeyFile === undefined ? {} : { nkeySeed: await readSeed(nkeyFile) }),
  });
}

async function readSeed(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--nats-nkey: cannot read ${file}: ${(error as Error).message}`);
  }
  const seed = text.trim();
  // A user's nkey seed: 'S' for seed, 'U' for user, then base32.
  if (!/^SU[A-Z2-7]{56}$/.test(seed))
    throw new UsageError(`--nats-nkey: ${file} does not hold a user nkey seed (one line starting SU)`);
  return seed;
}
