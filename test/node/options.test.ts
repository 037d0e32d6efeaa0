/** Every option is checked when a server or user node is made: a clear error, before any socket. */
import { expect, test } from 'vitest';
import {
  createServer,
  createUserNode,
  type ServerOptions,
  type UserNodeOptions,
} from '../../src/node/index.ts';

const server = { ip: '127.0.0.1', port: 8000 };
const codes = new Map<ErrorConstructor, string>([
  [TypeError, 'ERR_INVALID_ARG_TYPE'],
  [RangeError, 'ERR_OUT_OF_RANGE'],
]);

test.each<[Partial<ServerOptions>, ErrorConstructor, string]>([
  [
    { alias: 'al pha' },
    RangeError,
    'createServer: alias must be letters and digits only (Section IV), got "al pha"',
  ],
  [{ alias: 7 as unknown as string }, TypeError, 'createServer: alias must be a string, got 7'],
  [
    { host: 'localhost' },
    RangeError,
    'createServer: host must be an IPv4 address such as 127.0.0.1, got "localhost"',
  ],
  [{ port: 70000 }, RangeError, 'createServer: port must be an integer 0-65535, got 70000'],
  [
    { interface: '::1' },
    RangeError,
    'createServer: interface must be an IPv4 address such as 127.0.0.1, got "::1"',
  ],
  [{ ttl: 256 }, RangeError, 'createServer: ttl must be an integer 0-255, got 256'],
  [{ channels: [] }, TypeError, 'createServer: channels must be a non-empty array of { ip, port }, got '],
  [
    { channels: [{ ip: '10.0.0.1', port: 8450 }] },
    RangeError,
    'createServer: channels[0].ip must be a multicast address (224.0.0.0-239.255.255.255), got "10.0.0.1"',
  ],
  [
    { gossipInterval: 0 },
    RangeError,
    'createServer: gossipInterval must be a number of milliseconds > 0, got 0',
  ],
  [{ probes: 1.5 }, RangeError, 'createServer: probes must be an integer >= 1, got 1.5'],
  [
    { probeInterval: Number.NaN },
    RangeError,
    'createServer: probeInterval must be a number of milliseconds > 0, got NaN',
  ],
  [{ limits: { users: 0 } }, RangeError, 'createServer: limits.users must be an integer >= 1, got 0'],
  [
    { limits: { people: 5 } as unknown as ServerOptions['limits'] },
    TypeError,
    'createServer: limits.people must be one of users, aliasesPerUser',
  ],
  [
    { rateLimits: { user: { rate: -1, burst: 40 } } },
    RangeError,
    'createServer: rateLimits.user.rate must be a number > 0, got -1',
  ],
  [{ state: '' }, TypeError, 'createServer: state must be a file path or a state store, got ""'],
  [
    { random: 0.5 as never },
    TypeError,
    'createServer: random must be a function returning numbers in [0, 1), got 0.5',
  ],
])('createServer(%o) is refused', (options, kind, message) => {
  const make = () => createServer({ alias: 'alpha', ...options });
  expect(make).toThrow(kind);
  expect(make).toThrow(message);
  expect(make).toThrow(expect.objectContaining({ code: codes.get(kind) }));
});

test.each<[Partial<UserNodeOptions>, ErrorConstructor, string]>([
  [{ alias: '' }, RangeError, 'createUserNode: alias must be letters and digits only (Section IV), got ""'],
  [
    { server: undefined as unknown as UserNodeOptions['server'] },
    TypeError,
    'createUserNode: server must be an object',
  ],
  [
    { server: { ip: '127.0.0.1', port: -1 } },
    RangeError,
    'createUserNode: server.port must be an integer 0-65535, got -1',
  ],
  [
    { server: { ip: 'example.org', port: 1 } },
    RangeError,
    'createUserNode: server.ip must be an IPv4 address',
  ],
  [{ timeout: 0 }, RangeError, 'createUserNode: timeout must be a number of milliseconds > 0, got 0'],
  [{ retries: 0 }, RangeError, 'createUserNode: retries must be an integer >= 1, got 0'],
  [{ keepAlive: -5 }, RangeError, 'createUserNode: keepAlive must be a number of milliseconds >= 0, got -5'],
  [
    { findWait: '1000' as unknown as number },
    TypeError,
    'createUserNode: findWait must be a number of milliseconds, got "1000"',
  ],
])('createUserNode(%o) is refused', (options, kind, message) => {
  const make = () => createUserNode({ alias: 'ann', server, ...options });
  expect(make).toThrow(kind);
  expect(make).toThrow(message);
  expect(make).toThrow(expect.objectContaining({ code: codes.get(kind) }));
});

test('good options, defaults included, pass', async () => {
  const s = createServer({
    alias: 'alpha',
    port: 0,
    channels: [{ ip: '239.1.1.1', port: 8450 }],
    rateLimits: false,
  });
  const u = createUserNode({ alias: 'ann', server, keepAlive: 0, findWait: 0 });
  expect(s.alias).toBe('alpha');
  expect(u.server.port).toBe(8000);
  await Promise.all([s.close(), u.close()]);
});
