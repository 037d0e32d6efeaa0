/** Subjects carry the sender's endpoint; auth.conf lets each node publish only as itself. */
import { expect, test } from 'vitest';
import { authorizationBlock, permissionsOf } from '../../../src/node/nats/authorization.ts';
import {
  channelSubject,
  endpointToken,
  inboxSubscription,
  subjectSender,
  tokenEndpoint,
  unicastSubject,
} from '../../../src/node/nats/subjects.ts';

const alpha = { ip: '127.0.0.1', port: 8000 };
const channel = { ip: '230.0.0.1', port: 8450 };

test('an endpoint is one subject token without dots, and back', () => {
  expect(endpointToken(alpha)).toBe('127-0-0-1-8000');
  expect(tokenEndpoint('127-0-0-1-8000')).toEqual(alpha);
  for (const bad of ['127-0-0-1', '127-0-0-1-65536', '300-0-0-1-80', '127-0-0-1-x', '127-0-0-1-8000-1', ''])
    expect(tokenEndpoint(bad), bad).toBeUndefined();
});

test('every subject ends with the sender, and only the protocol subjects name one', () => {
  const bob = { ip: '10.0.0.2', port: 5001 };
  expect(unicastSubject(bob, alpha)).toBe('chat.u.10-0-0-2-5001.127-0-0-1-8000');
  expect(channelSubject(channel, alpha)).toBe('chat.c.230-0-0-1-8450.127-0-0-1-8000');
  expect(subjectSender(unicastSubject(bob, alpha))).toEqual(alpha);
  expect(subjectSender(channelSubject(channel, bob))).toEqual(bob);
  expect(inboxSubscription(alpha)).toBe('chat.u.127-0-0-1-8000.*');
  for (const other of [
    'chat.x.1-1-1-1-1.127-0-0-1-8000',
    'other.u.1-1-1-1-1.127-0-0-1-8000',
    'chat.u.127-0-0-1-8000',
    'chat.u.a.b.c',
  ])
    expect(subjectSender(other), other).toBeUndefined();
});

test('a server may publish only as itself and hear every channel; a user node only its own unicast', () => {
  expect(permissionsOf({ name: 'alpha', endpoint: alpha, publicKey: 'UA', role: 'server' })).toEqual({
    publish: ['chat.u.*.127-0-0-1-8000', 'chat.c.*.127-0-0-1-8000'],
    subscribe: ['chat.u.127-0-0-1-8000.*', 'chat.c.>'],
  });
  expect(
    permissionsOf({
      name: 'carol',
      endpoint: { ip: '127.0.0.1', port: 7001 },
      publicKey: 'UC',
      role: 'user',
    }),
  ).toEqual({
    publish: ['chat.u.*.127-0-0-1-7001'],
    subscribe: ['chat.u.127-0-0-1-7001.*'],
  });
  const conf = authorizationBlock([{ name: 'alpha', endpoint: alpha, publicKey: 'UAKEY', role: 'server' }]);
  expect(conf).toMatch(/^authorization \{$/m);
  expect(conf).toContain(
    '{ nkey: UAKEY, permissions: { publish: { allow: ["chat.u.*.127-0-0-1-8000", "chat.c.*.127-0-0-1-8000"] }',
  );
});
