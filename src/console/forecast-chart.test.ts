import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHART_DAYS, renderForecastChart } from './forecast-chart.ts';

const day = (date: string, invitations: number) => ({ date, invitations, expected_tickets: invitations * 0.05, capacity: 160 });

test('draws a bar a day in each panel, the capacity line and the end date', () => {
  const svg = renderForecastChart({ remaining: 7000, days: [day('2026-11-23', 3200), day('2026-11-24', 3200), day('2026-11-25', 600)], end_date: '2026-11-25' });
  assert.equal(svg.match(/<rect class="chart-bar-invitations"/g)?.length, 3);
  assert.equal(svg.match(/<rect class="chart-bar-tickets"/g)?.length, 3);
  assert.match(svg, /<polyline class="chart-capacity"/);
  assert.match(svg, />ends 2026-11-25</);
  assert.match(svg, /<title>2026-11-23: 3,200 invitations<\/title>/);
  assert.match(svg, /7,000 invitations left; the last goes out on 2026-11-25/);
  assert.ok(!/style=/.test(svg), 'no inline style');
});

test('no days, no chart; long forecasts are cut to the first weeks', () => {
  assert.equal(renderForecastChart({ remaining: 0, days: [], end_date: null }), '');
  const days = Array.from({ length: 90 }, (_, i) => day(`2027-01-${String((i % 28) + 1).padStart(2, '0')}`, 10));
  const svg = renderForecastChart({ remaining: 900, days, end_date: null });
  assert.equal(svg.match(/<rect class="chart-bar-invitations"/g)?.length, CHART_DAYS);
  assert.match(svg, /no end date at the current rate/);
});
