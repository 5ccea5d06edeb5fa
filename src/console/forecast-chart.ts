import type { CampaignForecast, ForecastDay } from '../campaigns/campaign-types.ts';

/** Days drawn at most; the page says when later days are left out. */
export const CHART_DAYS = 42;
/** Slots drawn at least, so that a forecast of two days does not draw two bars the width of the page. */
const MIN_SLOTS = 14;

const WIDTH = 720;
const LEFT = 56;
const RIGHT = 12;
const PANEL = 110;
const GAP = 34;
const TOP = 24;

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

/** YYYY-MM-DD plus `n` days (calendar arithmetic in UTC, so no time zone shifts it). */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A round axis maximum at or above `value`: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value)!;
}

function panel(days: ForecastDay[], slots: number, top: number, title: string, bars: (d: ForecastDay) => number, barClass: string, unit: string, line?: (d: ForecastDay) => number): string {
  const max = niceMax(Math.max(...days.map(bars), ...(line ? days.map(line) : [0])));
  const step = (WIDTH - LEFT - RIGHT) / slots;
  const y = (v: number) => top + PANEL - (v / max) * PANEL;
  const parts = [
    `<text class="chart-title" x="${LEFT}" y="${top - 8}">${escape(title)}</text>`,
    `<line class="chart-axis" x1="${LEFT}" y1="${top + PANEL}" x2="${WIDTH - RIGHT}" y2="${top + PANEL}"/>`,
    `<line class="chart-grid" x1="${LEFT}" y1="${top}" x2="${WIDTH - RIGHT}" y2="${top}"/>`,
    `<text class="chart-tick" x="${LEFT - 6}" y="${top + 4}" text-anchor="end">${fmt(max)}</text>`,
    `<text class="chart-tick" x="${LEFT - 6}" y="${top + PANEL + 4}" text-anchor="end">0</text>`,
  ];
  days.forEach((day, i) => {
    const value = bars(day);
    const x = LEFT + i * step + step * 0.15;
    parts.push(`<rect class="${barClass}" x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(top + PANEL - y(value)).toFixed(1)}"><title>${escape(`${day.date}: ${fmt(value)} ${unit}`)}</title></rect>`);
  });
  if (line) {
    const points = days.flatMap((day, i) => [`${(LEFT + i * step).toFixed(1)},${y(line(day)).toFixed(1)}`, `${(LEFT + (i + 1) * step).toFixed(1)},${y(line(day)).toFixed(1)}`]);
    parts.push(`<polyline class="chart-capacity" points="${points.join(' ')}"><title>Help desk capacity a day</title></polyline>`);
  }
  return parts.join('');
}

/**
 * The campaign forecast as an SVG drawn on the server: invitations a day on top, expected tickets a day against
 * the desk's capacity below, and the projected end date. Classes only (console.css colours them), no inline style.
 */
export function renderForecastChart(forecast: CampaignForecast): string {
  const days = forecast.days.slice(0, CHART_DAYS);
  if (days.length === 0) return '';
  const height = TOP + PANEL * 2 + GAP + 40;
  const slots = Math.max(days.length, MIN_SLOTS);
  const step = (WIDTH - LEFT - RIGHT) / slots;
  const labelEvery = Math.ceil(slots / 8);
  const dates = Array.from({ length: slots }, (_, i) => days[i]?.date ?? addDays(days.at(-1)!.date, i - days.length + 1));
  const labels = dates.map((date, i) => (i % labelEvery === 0
    ? `<text class="chart-tick" x="${(LEFT + (i + 0.5) * step).toFixed(1)}" y="${height - 14}" text-anchor="middle">${escape(date.slice(5))}</text>`
    : '')).join('');
  const endIndex = forecast.end_date ? days.findIndex((d) => d.date === forecast.end_date) : -1;
  const end = endIndex < 0 ? '' : (() => {
    const x = (LEFT + (endIndex + 1) * step).toFixed(1);
    const leftOfLine = endIndex + 1 > slots / 2;
    return `<line class="chart-end" x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${TOP + PANEL * 2 + GAP}"/>`
      + `<text class="chart-end-label" x="${x}" y="${TOP + 12}" text-anchor="${leftOfLine ? 'end' : 'start'}" dx="${leftOfLine ? -5 : 5}">ends ${escape(forecast.end_date!)}</text>`;
  })();
  const summary = `${fmt(forecast.remaining)} invitations left; ${forecast.end_date ? `the last goes out on ${forecast.end_date}` : 'no end date at the current rate'}`;
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="forecast-title" xmlns="http://www.w3.org/2000/svg">`
    + `<title id="forecast-title">${escape(summary)}</title>`
    + panel(days, slots, TOP, 'Invitations a day', (d) => d.invitations, 'chart-bar-invitations', 'invitations')
    + panel(days, slots, TOP + PANEL + GAP, 'Expected tickets a day, against capacity (line)', (d) => d.expected_tickets, 'chart-bar-tickets', 'expected tickets', (d) => d.capacity)
    + end + labels + '</svg>';
}
