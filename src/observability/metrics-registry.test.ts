import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, family } from './metrics-registry.ts';

test('family writes HELP, TYPE and escaped label values', () => {
  assert.equal(
    family('x_total', 'gauge', 'Some help', [{ labels: { name: 'a "b"\\\nc' }, value: 3 }, { value: Infinity }]),
    '# HELP x_total Some help\n# TYPE x_total gauge\nx_total{name="a \\"b\\"\\\\\\nc"} 3\nx_total +Inf\n',
  );
});

test('counters add up by label set; histogram buckets are cumulative', () => {
  const counter = new Counter('c_total', 'h');
  counter.inc({ path: 'jit' });
  counter.inc({ path: 'jit' }, 2);
  counter.inc({ path: 'reset' });
  assert.match(counter.render(), /c_total\{path="jit"\} 3\nc_total\{path="reset"\} 1/);
  const histogram = new Histogram('d_seconds', 'h', [0.1, 1]);
  histogram.observe(0.05);
  histogram.observe(0.5);
  histogram.observe(3);
  const text = histogram.render();
  assert.match(text, /d_seconds_bucket\{le="0.1"\} 1\nd_seconds_bucket\{le="1"\} 2\nd_seconds_bucket\{le="\+Inf"\} 3\nd_seconds_sum 3.55\nd_seconds_count 3/);
});
