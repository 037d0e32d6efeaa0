// Writes docs/conformance-report.png: the conformance kit's HTML report, as a real headless
// browser shows it. Run by hand (not by CI) after changing the report's look:
//
//   CHROMIUM=/usr/bin/chromium node scripts/conformance-screenshot.ts
//
// It starts a reference server on a channel of its own, runs the kit's Section II.vi cases against
// it (a short page with datagrams side by side), writes the page to .tmp/conformance-report.html
// and photographs it with playwright-core driving the system's Chromium (nothing is downloaded).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { htmlReport, runServerConformance } from '../src/conformance/index.ts';
import { createServer } from '../src/node/index.ts';

const root = resolve(import.meta.dirname, '..');
const executable = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Checked first, so a machine without it gets one line saying what to do, not a stack trace.
if (!existsSync(executable)) {
  console.error(
    `conformance:screenshot needs Chromium: none at ${executable}. Install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium.`,
  );
  process.exit(1);
}
const channel = { ip: '239.255.90.17', port: 28451 };
const server = createServer({ alias: 'alpha', channels: [channel], gossipInterval: 1000 });
server.on('warning', () => {});
const target = await server.start({ signal: AbortSignal.timeout(10_000) });
const report = await runServerConformance({ target, channel, gossipInterval: 1000, filters: ['II.vi'] });
await server.close();

mkdirSync(join(root, '.tmp'), { recursive: true });
const page = join(root, '.tmp', 'conformance-report.html');
writeFileSync(page, htmlReport(report));

const browser = await chromium.launch({ executablePath: executable }).catch((error: Error) => {
  console.error(
    `conformance:screenshot: Chromium at ${executable} did not start: ${error.message.split('\n')[0]}`,
  );
  process.exit(1);
});
try {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await tab.goto(`file://${page}`);
  // Runs in the page, where `document` exists; typed loosely since this project has no DOM types.
  const height = await tab.evaluate('document.documentElement.scrollHeight');
  await tab.screenshot({
    fullPage: true,
    path: join(root, 'docs', 'conformance-report.png'),
    clip: { x: 0, y: 0, width: 1200, height: Math.min(Number(height), 1700) },
  });
  console.log(`wrote docs/conformance-report.png from ${page} (${report.results.length} cases)`);
} finally {
  await browser.close();
}
