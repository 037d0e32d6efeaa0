/** Addresses on the command line: IPv4 as written, host names resolved to IPv4, clear errors. */
import { expect, test } from 'vitest';
import { channelFlag, endpointFlag, hostFlag, UsageError } from '../../src/cli/args.ts';

test('an IPv4 address is taken as written, without a lookup', async () => {
  const lookup = () => Promise.reject(new Error('no lookup expected'));
  expect(await hostFlag('10.0.0.7', '--host', lookup)).toBe('10.0.0.7');
  expect(await endpointFlag('127.0.0.1:8000', '--server', lookup)).toEqual({ ip: '127.0.0.1', port: 8000 });
});

test('localhost resolves, through the system resolver, to its IPv4 address', async () => {
  expect(await endpointFlag('localhost:8040', '--server')).toEqual({ ip: '127.0.0.1', port: 8040 });
  expect(await hostFlag('localhost', '--interface')).toBe('127.0.0.1');
});

test('a name that does not resolve is a usage error naming the flag, the name and why', async () => {
  // The resolver's own failure, as dns.lookup reports it: no name server is asked from a test.
  const notFound = () =>
    Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
  const error = await endpointFlag('nohost.lan:8000', '--server', notFound).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toBe(
    '--server: cannot resolve "nohost.lan" to an IPv4 address (ENOTFOUND)',
  );
});

test.each([
  ['no_such:8000', '--server: expected an IPv4 address or a host name, got "no_such"'],
  ['300.1.2.3:8000', '--server: expected an IPv4 address or a host name, got "300.1.2.3"'],
  ['localhost', '--server: expected HOST:PORT, got "localhost"'],
  ['localhost:70000', '--server: expected a port 0-65535, got "70000"'],
])('%s is refused before any lookup: %s', async (value, message) => {
  const lookup = () => Promise.reject(new Error('no lookup expected'));
  await expect(endpointFlag(value, '--server', lookup)).rejects.toThrow(message);
});

test('a channel named by host name must still be multicast', async () => {
  await expect(channelFlag('localhost:8450', '--channel')).rejects.toThrow(
    /--channel: 127\.0\.0\.1 is not a multicast address/,
  );
});
