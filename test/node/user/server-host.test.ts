/**
 * A user node hears its server's host: a server's answer from another port of the host the
 * server is on (a socket of its own for sending) is taken as the server's; one from another host,
 * naming the server, is not.
 */
import { afterEach, expect, test } from 'vitest';
import { parse, serialize } from '../../../src/index.ts';
import { type ChatUser, createUserNode, MemoryNetwork, type Transport } from '../../../src/node/index.ts';
import { reply, serverAt } from '../../../src/node/wire.ts';

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((n) => n.close()));
});

async function bound(network: MemoryNetwork, host: string, port = 0): Promise<Transport> {
  const transport = network.transport({ host, port });
  opened.push(transport);
  await transport.open();
  return transport;
}

/** A server listening on 10.0.0.1:5000 that answers every request +OK from `answerFrom`. */
async function serverAnsweringFrom(network: MemoryNetwork, answerFrom: Transport) {
  const listener = await bound(network, '10.0.0.1', 5000);
  const self = serverAt('far', listener.address);
  listener.on('datagram', (data) => {
    const packet = parse(data);
    if (packet.kind !== 'UserCommand') return;
    answerFrom.send(new TextEncoder().encode(serialize(reply(self, '+OK', packet))), packet.sender);
  });
  return self;
}

function userOf(network: MemoryNetwork): ChatUser {
  const u = createUserNode({
    alias: 'ann',
    server: { ip: '10.0.0.1', port: 5000 },
    transport: network.transport({ host: '10.0.0.2', port: 6000 }),
    timeout: 50,
    retries: 2,
    keepAlive: 0,
  });
  opened.push(u);
  return u;
}

test('answers from another port of the server host are the server’s', async () => {
  const network = new MemoryNetwork();
  const self = await serverAnsweringFrom(network, await bound(network, '10.0.0.1'));
  const ann = userOf(network);
  await ann.start();
  expect(ann.server).toEqual(self);
  expect(await ann.list()).toEqual([]);
});

test('answers naming the server from another host are not taken', async () => {
  const network = new MemoryNetwork();
  await serverAnsweringFrom(network, await bound(network, '10.0.0.9'));
  const ann = userOf(network);
  await expect(ann.start()).rejects.toThrow(/no backup|stopped answering|no reply/);
});

test('a delivery naming the server from another host is not taken; from another port of its host it is', async () => {
  const network = new MemoryNetwork();
  const self = await serverAnsweringFrom(network, await bound(network, '10.0.0.1'));
  const ann = userOf(network);
  await ann.start();
  const heard: string[] = [];
  ann.on('message', (m) => heard.push(m.text));
  const delivery = (text: string) =>
    new TextEncoder().encode(
      serialize(reply(self, '+OK', parse(`USERNODE ceo 10.0.0.7 5999 SEND ann MESSAGE ${text}\0`) as never)),
    );
  (await bound(network, '10.0.0.9')).send(delivery('wire the money'), ann.self);
  (await bound(network, '10.0.0.1')).send(delivery('real'), ann.self);
  await network.clock.sleep(10);
  expect(heard).toEqual(['real']);
});
