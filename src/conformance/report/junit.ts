/**
 * The JUnit XML report, so CI systems show the run: one testsuite per section, one testcase per
 * case. A Fail is a <failure>; Missing is <skipped>; Non-Strict and Info pass, with their
 * observations in <system-out>.
 */
import type { CaseResult } from '../case.ts';
import { type ConformanceReport, levelName } from './report.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function xml(text: string): string {
  // XML 1.0 cannot hold most control characters at all, even escaped.
  return text
    .replace(XML_FORBIDDEN, '\ufffd')
    .replace(/[<>&"']/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
    );
}

function transcript(r: CaseResult): string {
  return r.events.map((e) => `${e.t} ms ${e.actor} ${e.direction} ${e.peer}: ${e.text}`).join('\n');
}

function testcase(r: CaseResult): string {
  const name = xml(`${r.id}: ${r.title}`);
  const open = `    <testcase classname="conformance.${xml(r.section)}" name="${name}" time="${(r.durationMs / 1000).toFixed(3)}">`;
  const detail = xml(
    `level: ${levelName(r.level)}\nexpected: ${r.expectation}\nobserved: ${r.observed.join('\n')}\n\n${transcript(r)}`,
  );
  const message = xml(r.observed.at(-1) ?? r.outcome);
  switch (r.outcome) {
    case 'Fail':
      return `${open}\n      <failure message="${message}" type="${levelName(r.level)}">${detail}</failure>\n    </testcase>`;
    case 'Missing':
      return `${open}\n      <skipped message="${message}"/>\n    </testcase>`;
    case 'Pass':
      return `${open}</testcase>`;
    default:
      return `${open}\n      <system-out>${xml(`${r.outcome}: `)}${detail}</system-out>\n    </testcase>`;
  }
}

/** The report as JUnit XML. */
export function junitReport(report: ConformanceReport): string {
  const sections = [...new Set(report.results.map((r) => r.section))];
  const suites = sections.map((section) => {
    const cases = report.results.filter((r) => r.section === section);
    const failures = cases.filter((r) => r.outcome === 'Fail').length;
    const skipped = cases.filter((r) => r.outcome === 'Missing').length;
    const time = cases.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
    return [
      `  <testsuite name="conformance ${xml(report.mode)} ${xml(section)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ''))}">`,
      ...cases.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const failures = report.results.filter((r) => r.outcome === 'Fail').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chat-proto conformance ${xml(report.mode)} ${xml(report.target)}" tests="${report.results.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
