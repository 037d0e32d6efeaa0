/**
 * The HTML report, Autobahn-style: a self-contained page (inline CSS, no scripts, nothing fetched)
 * with a summary by section, every case's outcome, and per case its words, expectation,
 * observations and the datagrams sent and received side by side.
 */
import type { CaseResult, Outcome } from '../case.ts';
import type { TranscriptEvent } from '../transcript.ts';
import { bySection, type ConformanceReport, levelName, OUTCOMES, runPassed } from './report.ts';

function esc(text: string): string {
  return text.replace(/[<>&"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;',
  );
}

const anchor = (id: string) => `case-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;
const badge = (o: Outcome) =>
  `<span class="badge ${o === 'Non-Strict' ? 'nonstrict' : o.toLowerCase()}">${o}</span>`;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;color:#1d232a;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:0}.meta{color:#57606a;margin-bottom:16px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:72px;text-align:center;border-radius:4px;padding:1px 6px;font-weight:600;font-size:12px;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}.nonstrict{background:#bf8700}.info{background:#0969da}.missing{background:#6e7781}
.verdict{font-weight:600}.verdict.ok{color:#1a7f37}.verdict.bad{color:#cf222e}
.case{border:1px solid #d0d7de;border-radius:6px;margin:14px 0;padding:10px 14px}
.case header{display:flex;gap:10px;align-items:center;flex-wrap:wrap}.id{font-family:ui-monospace,monospace;font-weight:600}
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid #d0d7de;color:#57606a}
dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;margin:8px 0}dt{color:#57606a}dd{margin:0}
.wire{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;table-layout:fixed}
.wire td{word-break:break-all;white-space:pre-wrap}.wire .t{width:60px;text-align:right;color:#57606a}.wire .who{width:150px}
.wire .sent{background:#f0f6ff}.wire .received{background:#f0fff4}.wire .output{background:#fff8e6}
.peer{color:#57606a}
`;

function summary(report: ConformanceReport): string {
  const rows = [...bySection(report.results)].map(
    ([section, row]) =>
      `<tr><td>${esc(section)}</td>${OUTCOMES.map((o) => `<td class="n">${row[o]}</td>`).join('')}</tr>`,
  );
  const totals = OUTCOMES.map(
    (o) => `<td class="n"><b>${report.results.filter((r) => r.outcome === o).length}</b></td>`,
  );
  return `<table><tr><th>section</th>${OUTCOMES.map((o) => `<th>${badge(o)}</th>`).join('')}</tr>${rows.join('')}<tr><td><b>total</b></td>${totals.join('')}</tr></table>`;
}

function index(results: readonly CaseResult[]): string {
  const rows = results.map(
    (r) =>
      `<tr><td>${badge(r.outcome)}</td><td>${levelName(r.level)}</td><td><a class="id" href="#${anchor(r.id)}">${esc(r.id)}</a></td><td>${esc(r.title)}</td><td class="n">${r.durationMs} ms</td></tr>`,
  );
  return `<table><tr><th>outcome</th><th>level</th><th>case</th><th>title</th><th>time</th></tr>${rows.join('')}</table>`;
}

function wireRow(e: TranscriptEvent): string {
  const cell = `<span class="peer">${e.direction === 'sent' ? 'to' : e.direction === 'received' ? 'from' : ''} ${esc(e.peer)}</span>\n${esc(e.text)}`;
  const left = e.direction === 'sent' ? `<td class="sent">${cell}</td>` : '<td></td>';
  const right = e.direction === 'sent' ? '<td></td>' : `<td class="${e.direction}">${cell}</td>`;
  return `<tr><td class="t">${e.t}</td><td class="who">${esc(e.actor)}</td>${left}${right}</tr>`;
}

function detail(r: CaseResult): string {
  const observed =
    r.observed.length > 0 ? r.observed.map((o) => `<div>${esc(o)}</div>`).join('') : '<div>as expected</div>';
  const wire =
    r.events.length === 0
      ? '<p>No datagrams.</p>'
      : `<table class="wire"><tr><th class="t">ms</th><th class="who">kit actor</th><th>sent by the kit</th><th>received by the kit</th></tr>${r.events.map(wireRow).join('')}</table>`;
  return `<section class="case" id="${anchor(r.id)}"><header>${badge(r.outcome)}<h3><span class="id">${esc(r.id)}</span> ${esc(r.title)}</h3><span>${levelName(r.level)}, ${r.durationMs} ms</span></header>
<blockquote>${esc(r.words)}</blockquote>
<dl><dt>expectation</dt><dd>${esc(r.expectation)}</dd><dt>observed</dt><dd>${observed}</dd></dl>
${wire}</section>`;
}

/** The report as one self-contained HTML page. */
export function htmlReport(report: ConformanceReport): string {
  const ok = runPassed(report);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chat-proto conformance: ${esc(report.mode)} ${esc(report.target)}</title><style>${STYLE}</style></head>
<body><h1>chat-proto conformance: ${esc(report.mode)}</h1>
<div class="meta">${esc(report.target)} · ${esc(report.startedAt)} · ${report.results.length} cases in ${(report.durationMs / 1000).toFixed(1)} s${report.strict ? ' · strict' : ''} · <span class="verdict ${ok ? 'ok' : 'bad'}">${ok ? 'no MUST case failed' : 'FAILED'}</span></div>
<h2>Summary</h2>${summary(report)}
<h2>Cases</h2>${index(report.results)}
<h2>Details</h2>${report.results.map(detail).join('\n')}
</body></html>
`;
}
