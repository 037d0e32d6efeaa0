/** Flag parsing shared by the subcommands: node:util parseArgs, with errors that name the flag. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Endpoint } from '../node/index.ts';
import { isAlias, isMulticast } from '../values.ts';

/** A usage error: printed with the subcommand's help, exit status 2. */
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

export function endpointFlag(value: string, flag: string): Endpoint {
  const match = /^([^:]+):(\d+)$/.exec(value);
  if (!match) throw new UsageError(`${flag}: expected IP:PORT, got "${value}"`);
  return { ip: ipFlag(match[1] as string, flag), port: portFlag(match[2], flag) };
}

/** A multicast channel IP:PORT: the address must be in 224.0.0.0/4. */
export function channelFlag(value: string, flag: string): Endpoint {
  const channel = endpointFlag(value, flag);
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
