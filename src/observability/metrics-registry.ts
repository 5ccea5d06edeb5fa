// Prometheus text exposition format 0.0.4, written by hand:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

export type Labels = Record<string, string>;

/** `\`, `"` and line feeds are escaped in label values, as the format requires. */
const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};
const numberText = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

/** One metric family in the text format: HELP, TYPE, then a line per sample. */
export function family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: Array<{ labels?: Labels; value: number; suffix?: string }>): string {
  const lines = [`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${s.suffix ?? ''}${labelText(s.labels ?? {})} ${numberText(s.value)}`);
  return `${lines.join('\n')}\n`;
}

/** A counter kept in this process, by label set. */
export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels, by = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  render(): string {
    return family(this.name, 'counter', this.help, [...this.values.values()]);
  }
}

/** A histogram kept in this process: cumulative buckets, sum and count. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.bounds.forEach((bound, i) => { if (value <= bound) this.counts[i]! += 1; });
  }

  render(): string {
    return family(this.name, 'histogram', this.help, [
      ...this.bounds.map((bound, i) => ({ suffix: '_bucket', labels: { le: String(bound) }, value: this.counts[i]! })),
      { suffix: '_bucket', labels: { le: '+Inf' }, value: this.count },
      { suffix: '_sum', value: this.sum },
      { suffix: '_count', value: this.count },
    ]);
  }
}

/** What this process counts as it goes; the rest of /metrics is read from Postgres and Redis at scrape time. */
export class ProcessMetrics {
  readonly verifications = new Counter('cutover_verifications_total', 'Verifications through POST /api/v1/verify and the platform hooks, by migration path, outcome and (for a hook) platform.');
  readonly legacyCalls = new Counter('cutover_legacy_calls_total', 'Calls to the legacy system, by result: accepted, rejected or unavailable.');
  readonly legacyLatency = new Histogram('cutover_legacy_call_duration_seconds', 'How long the legacy system took to answer.', [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

  render(): string {
    return this.verifications.render() + this.legacyCalls.render() + this.legacyLatency.render();
  }
}
