/**
 * Small SVG charts for docs/: horizontal bars and lines, plain SVG with no scripts or fonts to
 * fetch, so they show on GitHub and offline alike. Deterministic for the same numbers.
 */

const WIDTH = 720;
const FONT = 'font-family="system-ui, sans-serif" font-size="13"';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n: number) => Math.round(n * 10) / 10;

export interface Bar {
  label: string;
  value: number;
  /** Shown at the end of the bar; defaults to the value. */
  text?: string;
  /** Drawn in the accent colour: the library, beside its baselines. */
  highlight?: boolean;
}

/** Roughly how wide a text is at the charts' 13px font, for margins. */
const textWidth = (text: string) => Math.ceil(text.length * 7.2);

/** Horizontal bars; `marker` draws a dashed line at that value, e.g. a ratio of 1. */
export function barChart(
  title: string,
  bars: readonly Bar[],
  marker?: { value: number; label: string },
): string {
  const left = 16 + Math.max(...bars.map((b) => textWidth(b.label)));
  const right = 16 + Math.max(...bars.map((b) => textWidth(b.text ?? String(b.value))));
  const rowHeight = 28;
  const top = 40;
  const height = top + bars.length * rowHeight + (marker ? 30 : 16);
  const width = Math.max(WIDTH, left + right + 200);
  const max = Math.max(...bars.map((b) => b.value), marker?.value ?? 0, Number.MIN_VALUE);
  const scale = (width - left - right) / max;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const length = Math.max(1, bar.value * scale);
    const fill = bar.highlight ? '#2f6fdf' : '#9aa5b1';
    return [
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${round(length)}" height="${rowHeight - 8}" fill="${fill}"/>`,
      `<text x="${round(left + length + 6)}" y="${y + 17}">${escapeXml(bar.text ?? String(bar.value))}</text>`,
    ].join('\n');
  });
  if (marker) {
    const x = round(left + marker.value * scale);
    const bottom = top + bars.length * rowHeight;
    rows.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#d9534f" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle" fill="#d9534f">${escapeXml(marker.label)}</text>`,
    );
  }
  return svg(title, height, rows.join('\n'), width);
}

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

/** A line chart with a logarithmic x axis (sizes like 1k, 10k, 50k) and a linear y axis from 0. */
export function lineChart(
  title: string,
  axes: { x: string; y: string },
  series: readonly Series[],
  format: (y: number) => string = (y) => String(round(y)),
): string {
  const left = 80;
  const right = 150;
  const top = 40;
  const plotHeight = 220;
  const height = top + plotHeight + 60;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [xMin, xMax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const yMax = Math.max(...ys, Number.MIN_VALUE) * 1.1;
  const px = (x: number) => left + ((Math.log10(x) - xMin) / (xMax - xMin || 1)) * (WIDTH - left - right);
  const py = (y: number) => top + plotHeight - (y / yMax) * plotHeight;
  const colours = ['#2f6fdf', '#d9534f', '#5cb85c', '#9aa5b1'];
  const parts: string[] = [
    `<line x1="${left}" y1="${top + plotHeight}" x2="${WIDTH - right}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<text x="${(left + WIDTH - right) / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(axes.x)}</text>`,
    `<text x="16" y="${top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotHeight / 2})">${escapeXml(axes.y)}</text>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${escapeXml(format(yMax))}</text>`,
    `<text x="${left - 6}" y="${top + plotHeight + 4}" text-anchor="end">0</text>`,
  ];
  for (const x of [...new Set(xs)]) {
    parts.push(
      `<text x="${round(px(x))}" y="${top + plotHeight + 20}" text-anchor="middle">${x.toLocaleString('en')}</text>`,
    );
  }
  series.forEach((s, i) => {
    const colour = colours[i % colours.length];
    const points = s.points.map(([x, y]) => `${round(px(x))},${round(py(y))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of s.points) {
      parts.push(`<circle cx="${round(px(x))}" cy="${round(py(y))}" r="3.5" fill="${colour}"/>`);
      parts.push(
        `<text x="${round(px(x) + 6)}" y="${round(py(y) - 6)}" font-size="11">${escapeXml(format(y))}</text>`,
      );
    }
    parts.push(
      `<text x="${WIDTH - right + 12}" y="${top + 16 + i * 18}" fill="${colour}">${escapeXml(s.name)}</text>`,
    );
  });
  return svg(title, height, parts.join('\n'));
}

function svg(title: string, height: number, body: string, width = WIDTH): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="12" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
