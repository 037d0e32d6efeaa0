/** The command lines the self-tests start user nodes with: the reference CLI, or a faulty node. */

/** Fast timings, so failover happens within a second: T 200 ms, N 2, keep-alive 400 ms. */
const TIMINGS = ['--timeout', '200', '--retries', '2', '--keep-alive', '400'];

/** How long the kit waits for such a node to act by itself. */
export const PATIENCE_MS = 4000;

/** `chat-proto user` from the sources, as another team would give its own command. */
export const REFERENCE_USER = [
  process.execPath,
  'src/cli/main.ts',
  'user',
  '--alias',
  '{alias}',
  '--port',
  '0',
  '--server',
  '{server}',
  ...TIMINGS,
];

/** The reference user node with the fault aimed at `caseId` planted. */
export function faultyUser(caseId: string): string[] {
  return [
    process.execPath,
    'test/conformance/faulty-user.ts',
    caseId,
    '--alias',
    '{alias}',
    '--server',
    '{server}',
    ...TIMINGS,
  ];
}
