/**
 * The chat client shows each outcome of /msg as such (delivered, with the server that took it;
 * not confirmed; refused because nobody has the name), and Tab never offers a name refused.
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { type Chat, runCommand } from '../../src/cli/chat/commands.ts';
import { completer } from '../../src/cli/chat/completer.ts';
import { Screen } from '../../src/cli/chat/screen.ts';
import { chatStyle } from '../../src/cli/chat/style.ts';
import { minimalServer } from '../interop/nodes.ts';
import { server, uniqueChannel, until, user } from '../node/helpers.ts';

test('/msg shows who took it, that it is not confirmed, or that nobody has the name; Tab forgets a refused name', async () => {
  const channel = uniqueChannel();
  const [alpha, beta] = [server('alpha', [channel]), server('beta', [channel])];
  await Promise.all([alpha.start(), beta.start()]);
  await until(
    () => alpha.neighbours.size === 1 && beta.neighbours.size === 1,
    'alpha and beta to be neighbours',
  );
  const ann = await user('ann', alpha);
  await user('bob', beta);
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const rl = createInterface({ input: new PassThrough(), output, terminal: false });
  const nicks = new Set(['bob', 'nobody2']);
  const chat: Chat = {
    node: ann,
    screen: new Screen(rl, output, false, chatStyle(false)),
    room: undefined,
    entered: () => {},
    left: () => {},
    converse: () => {},
    switchWindow: () => false,
    closeWindow: async () => {},
    refresh: () => {},
    nicks,
    rooms: new Set(),
    quit: async () => {},
    say: async () => {},
  };
  const lines = () => printed.split('\n').map((l) => l.replace(/^\[\d\d:\d\d\] /, ''));

  await runCommand(chat, '/msg bob hi bob');
  expect(lines()).toContain("-!- bob's server beta took it");

  await runCommand(chat, '/msg nobody2 are you there');
  expect(lines()).toContain('-!- message to nobody2 not sent: nobody has the name nobody2 (asked beta)');
  expect(completer(nicks, new Set())('/msg nob')[0]).toEqual([]);
  expect(completer(nicks, new Set())('/msg bo')[0]).toEqual(['bob ']);

  const mini = await minimalServer({ alias: 'mini', channels: [channel], gossipInterval: 300 });
  await until(() => alpha.neighbours.list().some((n) => n.alias === 'mini'), 'mini to be alpha’s neighbour');
  await runCommand(chat, '/msg zed hello');
  expect(lines(), lines().join('\n')).toContain(
    '-!- not confirmed that zed got it: no answer from mini; beta had none from servers further on',
  );
  console.log(lines());
  expect(mini.received.length).toBeGreaterThan(0);
  rl.close();
});
