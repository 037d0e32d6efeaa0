/** The playground's part of docs/performance.md, put into a page without touching the rest. */
import { describe, expect, test } from 'vitest';
import { type PlaygroundResults, spliceIntoPage } from '../../bench/lib/playground-report.ts';

const spread = (median: number) => ({ median, min: median / 2, max: median * 2, runs: 15 });
const kind = (redraw: number) => ({
  redraw: spread(redraw),
  parseChromium: spread(0.01),
  parseNode: spread(0.02),
  redrawToParse: spread(redraw / 0.01),
});
const results = (redraw: number): PlaygroundResults => ({
  machine: { date: '2026-12-07T00:00:00.000Z', cpus: 2, cpu: 'a CPU' },
  setup: { packetBytes: 1400, users: 43, rounds: 15, redrawsPerBatch: 20, chromium: '150' },
  valid: kind(redraw),
  error: kind(1),
});

const PAGE = [
  '# Performance',
  '',
  '## Targets',
  '',
  '| target | measured | |',
  '| --- | --- | --- |',
  '| `parse` fast | 0.79× | met |',
  '',
  '## Parser and serializer',
  '',
  'parser text',
  '',
  '## Reference server: request and reply',
  '',
  'server text',
  '',
].join('\n');

describe('spliceIntoPage', () => {
  test('adds a target row and a section after the parser, and replaces them on the next run', () => {
    const once = spliceIntoPage(PAGE, results(3));
    expect(once).toContain('| `parse` fast | 0.79× | met |\n| playground: parse and redraw');
    expect(once).toContain('3.00 ms, 1.00 ms with an error | met |');
    expect(once.indexOf('## The playground in a browser')).toBeGreaterThan(once.indexOf('parser text'));
    expect(once.indexOf('## The playground in a browser')).toBeLessThan(once.indexOf('## Reference server'));

    const twice = spliceIntoPage(once, results(5));
    expect(twice.match(/## The playground in a browser/g)).toHaveLength(1);
    expect(twice.match(/\| playground: /g)).toHaveLength(1);
    expect(twice).toContain('5.00 ms, 1.00 ms with an error | **not met** |');
    // Everything else is as it was.
    const others = (page: string) =>
      page.replace(/\| playground: .*\n/, '').replace(/## The playground[\s\S]*?(?=## Reference)/, '');
    expect(others(twice)).toBe(PAGE);
  });
});
