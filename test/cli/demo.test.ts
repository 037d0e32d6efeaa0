/**
 * `chat-proto demo`, as a newcomer runs it: it must go through every step and end by itself with
 * status 0. Its standard output is a pipe here, so it must carry no colour codes.
 */
import { expect, test } from 'vitest';
import { uniqueChannel } from '../node/helpers.ts';
import { runCli } from '../node/processes.ts';

test('the demo narrates every step and ends by itself with status 0', async () => {
  const { ip, port } = uniqueChannel();
  const demo = runCli(['demo', '--channel', `${ip}:${port}`]);
  const status = await demo.exited;
  const output = demo.lines.join('\n');
  expect(status, `${output}\n${demo.errors.join('')}`).toBe(0);
  for (const step of [
    /^1\. Servers find each other$/m,
    /^ {3}\[newcomer\] alias beta is taken; trying beta2$/m,
    /^ {3}<dan> found ann at 127\.0\.0\.1:\d+, served by alpha$/m,
    /^ {3}<cat> got from bob in lobby: "hello, lobby"$/m,
    /^ {3}<dan> got from bob in lobby: "hello, lobby"$/m, // dan is on gamma, bob on beta
    /^ {3}<ann> got from bob in lobby: "hello, lobby"$/m, // ann is on alpha
    /^ {3}<bob> members of lobby, on every server: ann, bob, cat, dan$/m,
    /^ {3}<ann> got from dan: "hi ann, dan here"$/m,
    /^ {3}<ann> moved from alpha to (beta|gamma) \(failover\)$/m,
    /^ {3}<ann> moved from (beta|gamma) to alpha \(home\)$/m,
    /^ {3}<ann> got from dan: "welcome back"$/m,
    /^9\. Done$/m,
  ]) {
    expect(output).toMatch(step);
  }
  expect(output).not.toContain('\u001b['); // no colour into a pipe
  expect(demo.errors.join('')).toBe('');
}, 60_000);

test('a bad flag is a usage error: one line and a pointer to the demo help, exit status 2', async () => {
  const demo = runCli(['demo', '--fast']);
  expect(await demo.exited).toBe(2);
  expect(demo.errors.join('')).toContain("Unknown option '--fast'");
  expect(demo.errors.join('')).toContain('Run chat-proto demo --help for the options.');
});
