// Small server-rendered SVG charts for the funnel and progress pages. Classes only (console.css colours them), no
// inline style or script, so the strict CSP holds; every chart has a <title> and the page shows the same figures
// in a table beside it.

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const pct = (n: number | null) => (n === null ? '–' : `${(n * 100).toFixed(1).replace(/\.0$/, '')}%`);

/** A round axis maximum at or above `value`: 1, 2 or 5 times a power of ten. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value)!;
}

const WIDTH = 480;
const svg = (height: number, title: string, body: string, width = WIDTH, extraClass = '') =>
  `<svg class="chart chart-fluid${extraClass}" viewBox="0 0 ${width} ${height}" role="img" xmlns="http://www.w3.org/2000/svg"><title>${escape(title)}</title>${body}</svg>`;

/** Room for a horizontal bar chart: the whole width, and the columns for labels and values. */
export interface BarLayout {
  width: number;
  label: number;
  value: number;
}
/** For a chart that shares a row with two others (the enrolment splits). */
export const NARROW: BarLayout = { width: 340, label: 104, value: 56 };

export interface Bar {
  label: string;
  value: number;
  /** Shown after the value, e.g. a conversion. */
  note?: string;
}

/** Horizontal bars, one a row, scaled to the largest (the funnel chart and the splits). */
export function horizontalBars(title: string, bars: Bar[], barClass = 'chart-bar-split', layout: BarLayout = { width: WIDTH, label: 110, value: 120 }): string {
  if (bars.length === 0) return '';
  const LABEL = layout.label;
  const ROW = 30;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const span = layout.width - LABEL - layout.value;
  const rows = bars.map((bar, i) => {
    const y = 8 + i * ROW;
    const w = Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * span);
    const text = `${fmt(bar.value)}${bar.note ? ` · ${bar.note}` : ''}`;
    return `<text class="chart-label" x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`
      + `<rect class="${barClass}" x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 10}"><title>${escape(`${bar.label}: ${text}`)}</title></rect>`
      + `<text class="chart-value" x="${(LABEL + w + 6).toFixed(1)}" y="${y + 15}">${escape(text)}</text>`;
  });
  return svg(16 + bars.length * ROW, title, rows.join(''), layout.width, ' chart-bars');
}

/** The funnel: a bar per stage, against the first stage, with the conversion from the stage before. */
export function funnelChart(stages: Array<{ stage: string; users: number; conversion?: number | null }>): string {
  return horizontalBars('Users reaching each stage', stages.map((s) => ({ label: s.stage, value: s.users, note: s.conversion === undefined ? undefined : pct(s.conversion) })), 'chart-bar-stage', { width: 400, label: 80, value: 124 });
}

export interface Segment {
  label: string;
  value: number;
  /** A CSS class suffix: chart-seg-<key>. */
  key: string;
}

/** One horizontal bar per row, split into segments (users by path, coloured by state). */
export function stackedBars(title: string, rows: Array<{ label: string; segments: Segment[] }>): string {
  if (rows.length === 0) return '';
  const LABEL = 100;
  const ROW = 34;
  const max = Math.max(...rows.map((r) => r.segments.reduce((s, x) => s + x.value, 0)), 1);
  const span = WIDTH - LABEL - 70;
  const body = rows.map((row, i) => {
    const y = 8 + i * ROW;
    let x = LABEL;
    const total = row.segments.reduce((s, seg) => s + seg.value, 0);
    const parts = row.segments.filter((s) => s.value > 0).map((seg) => {
      const w = (seg.value / max) * span;
      const rect = `<rect class="chart-seg-${seg.key}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 12}"><title>${escape(`${row.label}, ${seg.label}: ${fmt(seg.value)}`)}</title></rect>`;
      x += w;
      return rect;
    });
    return `<text class="chart-label" x="${LABEL - 8}" y="${y + 16}" text-anchor="end">${escape(row.label)}</text>${parts.join('')}`
      + `<text class="chart-value" x="${(x + 6).toFixed(1)}" y="${y + 16}">${fmt(total)}</text>`;
  });
  return svg(16 + rows.length * ROW, title, body.join(''), WIDTH, ' chart-bars');
}

export interface DayPoint {
  date: string;
  value: number;
  /** A line drawn over the bars (capacity). */
  line?: number;
}

const LEFT = 48;
const TOP = 14;
const PLOT = 150;

function dayAxis(days: string[], step: number, height: number): string {
  const every = Math.max(1, Math.ceil(days.length / 6));
  return days.map((date, i) => (i % every === 0
    ? `<text class="chart-tick" x="${(LEFT + (i + 0.5) * step).toFixed(1)}" y="${height - 6}" text-anchor="middle">${escape(date.slice(5))}</text>` : '')).join('');
}

/** Bars a day, with an optional line a day over them (help-desk contacts against capacity, legacy calls). */
export function dailyBars(title: string, points: DayPoint[], barClass: string, unit: string): string {
  if (points.length === 0) return '';
  const height = TOP + PLOT + 26;
  const max = niceMax(Math.max(...points.map((p) => Math.max(p.value, p.line ?? 0))));
  const step = (WIDTH - LEFT - 8) / points.length;
  const y = (v: number) => TOP + PLOT - (v / max) * PLOT;
  const bars = points.map((p, i) => `<rect class="${barClass}" x="${(LEFT + i * step + step * 0.15).toFixed(1)}" y="${y(p.value).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(TOP + PLOT - y(p.value)).toFixed(1)}"><title>${escape(`${p.date}: ${fmt(p.value)} ${unit}`)}</title></rect>`);
  const withLine = points.filter((p) => p.line !== undefined);
  const line = withLine.length
    ? `<polyline class="chart-capacity" points="${points.flatMap((p, i) => [`${(LEFT + i * step).toFixed(1)},${y(p.line ?? 0).toFixed(1)}`, `${(LEFT + (i + 1) * step).toFixed(1)},${y(p.line ?? 0).toFixed(1)}`]).join(' ')}"><title>Capacity a day</title></polyline>`
    : '';
  return svg(height, title, axes(max, fmt) + bars.join('') + line + dayAxis(points.map((p) => p.date), step, height));
}

function axes(max: number, label: (n: number) => string): string {
  return `<line class="chart-axis" x1="${LEFT}" y1="${TOP + PLOT}" x2="${WIDTH - 8}" y2="${TOP + PLOT}"/>`
    + `<line class="chart-grid" x1="${LEFT}" y1="${TOP}" x2="${WIDTH - 8}" y2="${TOP}"/>`
    + `<text class="chart-tick" x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${label(max)}</text>`
    + `<text class="chart-tick" x="${LEFT - 6}" y="${TOP + PLOT + 4}" text-anchor="end">0</text>`;
}

/** A share a day (0–1) as a line with a dot per day: the running conversion. */
export function shareLine(title: string, points: Array<{ date: string; share: number | null }>): string {
  if (points.length === 0) return '';
  const height = TOP + PLOT + 26;
  const max = Math.min(1, niceMax(Math.max(...points.map((p) => p.share ?? 0), 0.01)));
  const step = (WIDTH - LEFT - 8) / points.length;
  const coords = points.map((p, i) => (p.share === null ? null : { x: LEFT + (i + 0.5) * step, y: TOP + PLOT - (p.share / max) * PLOT, p }));
  const drawn = coords.filter((c) => c !== null);
  const line = drawn.length > 1 ? `<polyline class="chart-line" points="${drawn.map((c) => `${c.x.toFixed(1)},${c.y.toFixed(1)}`).join(' ')}"/>` : '';
  const dots = drawn.map((c) => `<circle class="chart-dot" cx="${c.x.toFixed(1)}" cy="${c.y.toFixed(1)}" r="3"><title>${escape(`${c.p.date}: ${pct(c.p.share)}`)}</title></circle>`);
  return svg(height, title, axes(max, (n) => pct(n)) + line + dots.join('') + dayAxis(points.map((p) => p.date), step, height));
}
