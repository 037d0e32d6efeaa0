/** Flag parsing shared by the subcommands: node:util parseArgs, with errors that name the flag. */
import { lookup } from 'node:dns/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Endpoint } from '../node/index.ts';
import { isAlias, isMulticast } from '../values.ts';

/** A usage error: printed in one line with a pointer to the subcommand's --help, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function ipFlag(value: string, flag: string): string {
  if (!IPV4.test(value))
    throw new UsageError(`${flag}: expected an IPv4 address like 127.0.0.1, got "${value}"`);
  return value;
}

export function portFlag(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} is required`);
    return fallback;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`${flag}: expected a port 0-65535, got "${value}"`);
  return port;
}

export function numberFlag(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag}: expected an integer >= ${min}, got "${value}"`);
  return n;
}

/** How a host name becomes IPv4 addresses: the system's resolver (/etc/hosts, then DNS). */
export type HostLookup = (host: string) => Promise<string>;

const systemLookup: HostLookup = async (host) => (await lookup(host, { family: 4 })).address;

/** A host name as RFC 1123 allows it: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/**
 * An IPv4 address, or a host name resolved to its first IPv4 address (`localhost`,
 * `server1.lan`): the network layer speaks IPv4 only.
 */
export async function hostFlag(
  value: string,
  flag: string,
  resolve: HostLookup = systemLookup,
): Promise<string> {
  if (IPV4.test(value)) return value;
  if (/^[\d.]+$/.test(value) || !HOST_NAME.test(value))
    throw new UsageError(`${flag}: expected an IPv4 address or a host name, got "${value}"`);
  try {
    return ipFlag(await resolve(value), flag);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${flag}: cannot resolve "${value}" to an IPv4 address (${code})`);
  }
}

/** HOST:PORT, where HOST is an IPv4 address or a host name (resolved to IPv4). */
export async function endpointFlag(value: string, flag: string, resolve?: HostLookup): Promise<Endpoint> {
  const match = /^([^:]+):(\d+)$/.exec(value);
  if (!match) throw new UsageError(`${flag}: expected HOST:PORT, got "${value}"`);
  const port = portFlag(match[2], flag);
  return { ip: await hostFlag(match[1] as string, flag, resolve), port };
}

/** A multicast channel IP:PORT: the address must be in 224.0.0.0/4. */
export async function channelFlag(value: string, flag: string): Promise<Endpoint> {
  const channel = await endpointFlag(value, flag);
  if (!isMulticast(channel.ip))
    throw new UsageError(
      `${flag}: ${channel.ip} is not a multicast address (224.0.0.0 to 239.255.255.255), in "${value}"`,
    );
  return channel;
}

export function aliasFlag(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  if (!isAlias(value)) throw new UsageError(`${flag}: letters and digits only, got "${value}"`);
  return value;
}
