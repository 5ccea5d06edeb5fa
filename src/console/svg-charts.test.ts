import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dailyBars, funnelChart, horizontalBars, shareLine, stackedBars } from './svg-charts.ts';

test('charts are SVG with a title, escaped labels and no inline style or script', () => {
  const charts = [
    funnelChart([{ stage: 'targeted', users: 10 }, { stage: 'sent', users: 8, conversion: 0.8 }]),
    horizontalBars('By platform', [{ label: '<iOS>', value: 2 }]),
    stackedBars('Users', [{ label: 'jit', segments: [{ label: 'pending', value: 3, key: 'pending' }] }]),
    dailyBars('Contacts', [{ date: '2026-11-20', value: 1, line: 24 }], 'chart-bar-tickets', 'contacts'),
    shareLine('Conversion', [{ date: '2026-11-20', share: 0.5 }, { date: '2026-11-21', share: null }]),
  ];
  for (const chart of charts) {
    assert.match(chart, /^<svg class="chart chart-fluid( chart-bars)?"[^>]*role="img"[^>]*><title>/);
    assert.doesNotMatch(chart, /style=|<script|NaN|undefined/);
  }
  assert.match(charts[0]!, />8 · 80%</);
  assert.match(charts[1]!, /&#60;iOS&#62;/);
  assert.match(charts[3]!, /<polyline class="chart-capacity"/);
  assert.equal(horizontalBars('none', []), '');
});
