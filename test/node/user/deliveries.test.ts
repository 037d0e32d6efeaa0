/** Which datagrams from its server a user node takes as a room line or a room notice. */
import { expect, test } from 'vitest';
import { parse } from '../../../src/index.ts';
import { deliveryOf, roomNoticeOf } from '../../../src/node/user/deliveries.ts';

const alpha = { kind: 'Server' as const, alias: 'alpha', ip: '10.0.0.1', port: 8000 };
const self = { ip: '10.0.0.9', port: 5009 };

test('a CSEND echo from our server is a room line; a room event between servers, which names a server, is not', () => {
  const line = parse(
    'SERVERREPLY SERVER alpha 10.0.0.1 8000 +OK USERNODE ann 10.0.0.5 5001 CSEND MESSAGE hi\0 MESSAGE lobby\0',
  );
  expect(deliveryOf(line, alpha, self, alpha)).toMatchObject({ kind: 'room', text: 'hi', room: 'lobby' });
  const event = parse(
    'SERVERREPLY SERVER alpha 10.0.0.1 8000 +OK USERNODE ann 10.0.0.5 5001 CSEND MESSAGE hi\0 SERVER alpha 10.0.0.1 8000 MESSAGE lobby\0 MESSAGE k3x.2\0',
  );
  expect(deliveryOf(event, alpha, self, alpha)).toBeUndefined();
  expect(roomNoticeOf(event, alpha, self, alpha)).toBeUndefined();
});

test('a notice names the room and one of the five changes; anything else is not one', () => {
  const notice = (verb: string, change: string) =>
    parse(
      `SERVERREPLY SERVER alpha 10.0.0.1 8000 +OK USERNODE cat 10.0.0.7 5007 ${verb} MESSAGE lobby\0 MESSAGE ${change}\0`,
    );
  expect(roomNoticeOf(notice('JOINROOM lobby', 'joined'), alpha, self, alpha)).toMatchObject({
    room: 'lobby',
    change: 'joined',
    member: { alias: 'cat' },
  });
  expect(roomNoticeOf(notice('EXIT', 'quit'), alpha, self, alpha)?.change).toBe('quit');
  expect(roomNoticeOf(notice('LEAVEROOM lobby', 'gone'), alpha, self, alpha)).toBeUndefined();
  // Only from our own server.
  const other = { ...alpha, port: 8001 };
  expect(roomNoticeOf(notice('JOINROOM lobby', 'joined'), other, self, alpha)).toBeUndefined();
});
