/**
 * A reference user node registered with a spec-strict minimal server: the server answers only
 * what the specification makes it answer (no rooms, no reply to a FIND it cannot fulfil), and
 * delivers SENDs in either of two shapes.
 */
import { describe, expect, test } from 'vitest';
import { serialize } from '../../src/index.ts';
import type { ChatUser } from '../../src/node/index.ts';
import { uniqueChannel, until } from '../node/helpers.ts';
import { minimalServer, minimalUser, referenceUser } from './nodes.ts';

/** serverChanged and serverLost, as text, for a user that must keep its server. */
function moves(user: ChatUser): string[] {
  const seen: string[] = [];
  user.on('serverChanged', (to, from, reason) =>
    seen.push(`serverChanged ${from.alias}->${to.alias} ${reason}`),
  );
  user.on('serverLost', (s) => seen.push(`serverLost ${s.alias}`));
  return seen;
}

const fast = { timeout: 150, retries: 3, keepAlive: 300 };

/** Counts the answers to PREFERRED (registrations and keep-alives) that reach `user` from here on. */
function preferredAnswers(user: ChatUser): { count: number } {
  const answers = { count: 0 };
  user.on('packetIn', (packet) => {
    if (packet.kind === 'ServerReply' && packet.command.command.verb === 'PREFERRED') answers.count++;
  });
  return answers;
}

describe('a reference user on a minimal server', () => {
  test('FIND for an unknown alias resolves undefined, and the user keeps its server', async () => {
    const mini = await minimalServer({ alias: 'mini', channels: [uniqueChannel()] });
    const ru = await referenceUser('ru', mini.self, fast);
    const seen = moves(ru);
    // Section II.vi: the server forwards a FIND it cannot fulfil (here to no one) and answers nothing.
    const found = await ru.find('nobody').catch((error: Error) => `rejected: ${error.message}`);
    const sent = () =>
      mini.received.map((r) => (r.packet.kind === 'UserCommand' ? r.packet.command.verb : '?'));
    expect(found, `the user sent: ${sent().join(' ')}; events: ${seen.join(', ')}`).toBeUndefined();
    // Two keep-alive periods more, each a PREFERRED answered: the node still believes its server.
    const checks = preferredAnswers(ru);
    await until(() => checks.count >= 2, 'two keep-alives answered');
    expect(seen, `the user sent: ${sent().join(' ')}`).toEqual([]);
    expect(ru.server.port).toBe(mini.self.port);
  });

  test('an idle user stays registered over several keep-alive periods, though LISTROOMS goes unanswered', async () => {
    const mini = await minimalServer({ alias: 'mini', channels: [uniqueChannel()] });
    const ru = await referenceUser('ru', mini.self, fast);
    const seen = moves(ru);
    const checks = preferredAnswers(ru);
    await until(() => checks.count >= 5, 'five keep-alive periods');
    const verbs = mini.received.map((r) => (r.packet.kind === 'UserCommand' ? r.packet.command.verb : '?'));
    expect(seen, `the user sent: ${verbs.join(' ')}`).toEqual([]);
    // The keep-alive must be a request every server answers: PREFERRED again, not LISTROOMS.
    expect(verbs.filter((v) => v === 'PREFERRED').length, verbs.join(' ')).toBeGreaterThan(1);
    expect(mini.users.has('ru')).toBe(true);
  });
});

// A datagram that arrives twice with the same bytes within a short window (a duplicate on the
// network, or a server's resend) is one message: the user node reports it once. Two deliveries
// with different bytes are two messages.
describe.each(['forward', 'reply'] as const)('deliveries in the %s shape', (delivery) => {
  async function twoMessages() {
    const mini = await minimalServer({ alias: 'mini', channels: [uniqueChannel()], delivery });
    const ru = await referenceUser('ru', mini.self, { ...fast, keepAlive: 0 });
    const mu = await minimalUser({ alias: 'mu', server: mini.self });
    const heard: string[] = [];
    ru.on('message', (m) => heard.push(`${m.kind} ${m.from.alias} ${m.text}`));
    let taken = 0;
    ru.on('packetIn', (packet) => serialize(packet).includes(' SEND ru ') && taken++);
    expect((await mu.send('ru', 'first'))?.status).toBe('+OK');
    expect((await mu.send('ru', 'second'))?.status).toBe('+OK');
    const toUser = () => mini.sent.filter((s) => s.to.port === ru.self.port && s.text.includes('SEND ru'));
    await until(() => toUser().length === 2, 'both deliveries to go out');
    /** Every delivery mini sent ru (the resend too) has reached it and been judged. */
    const allTaken = () => until(() => taken === toUser().length, 'every delivery to arrive');
    return { mini, heard, deliveries: toUser(), allTaken };
  }

  test('each message is one message event', async () => {
    const { heard, deliveries, allTaken } = await twoMessages();
    await allTaken();
    expect(heard, deliveries.map((d) => d.text).join('\n')).toEqual(['direct mu first', 'direct mu second']);
  });

  test('the same delivery datagram arriving again is no second message', async () => {
    const { mini, heard, deliveries, allTaken } = await twoMessages();
    const last = deliveries[1];
    if (last) mini.sendRaw(last.text, last.to);
    await allTaken();
    expect(heard, `sent again: ${last?.text}`).toEqual(['direct mu first', 'direct mu second']);
  });
});
