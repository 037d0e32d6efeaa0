/** The playground's JSON layout (playground/json.ts): the same JSON, short parts on one line. */
import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { compactJson } from '../../playground/json.ts';

describe('compactJson', () => {
  test('what fits in 100 columns stays on its line, spaced; the rest is indented by two', () => {
    const users = Array.from({ length: 3 }, (_, i) => ({
      kind: 'UserNode',
      alias: `user${i}`,
      ip: '10.0.0.1',
      port: 5000 + i,
    }));
    expect(compactJson({ kind: 'ServerCommand', command: { verb: 'KNOWNUSERS', users }, empty: [] })).toBe(
      [
        '{',
        '  "kind": "ServerCommand",',
        '  "command": {',
        '    "verb": "KNOWNUSERS",',
        '    "users": [',
        '      { "kind": "UserNode", "alias": "user0", "ip": "10.0.0.1", "port": 5000 },',
        '      { "kind": "UserNode", "alias": "user1", "ip": "10.0.0.1", "port": 5001 },',
        '      { "kind": "UserNode", "alias": "user2", "ip": "10.0.0.1", "port": 5002 }',
        '    ]',
        '  },',
        '  "empty": []',
        '}',
      ].join('\n'),
    );
  });

  property.prop([fc.jsonValue()])('parses back to the same value', (value) => {
    expect(JSON.parse(compactJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
  });
});
