import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import type { ImportSummary } from '../migration/import/import-summary.ts';
import { callApi, CliError, describeFailure, type ClientOptions } from './api-client.ts';
import { ProgressBar } from './progress-bar.ts';

export interface ImportCommandOptions {
  file: string;
  dryRun: boolean;
  defaultPath?: string;
  onUnsupportedHash?: string;
  hashDialect?: string;
  format?: string;
  json: boolean;
}

/** Exit codes (fixed): 0 every row accepted, 2 completed with rejected rows, 1 failed. */
export async function importCommand(client: ClientOptions, options: ImportCommandOptions): Promise<number> {
  let size: number;
  try {
    size = statSync(options.file).size;
  } catch {
    throw new CliError(`cannot read ${options.file}: no such file`);
  }
  const format = options.format ?? (/\.csv$/i.test(options.file) ? 'csv' : 'jsonl');
  if (!['csv', 'jsonl'].includes(format)) throw new CliError(`--format must be csv or jsonl, got "${format}"`);
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dry_run', 'true');
  if (options.defaultPath) query.set('default_path', options.defaultPath);
  if (options.onUnsupportedHash) query.set('on_unsupported_hash', options.onUnsupportedHash);
  if (options.hashDialect) query.set('hash_dialect', options.hashDialect);

  const bar = new ProgressBar(size, options.dryRun ? 'checking' : 'importing');
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      bar.update(sent);
      callback(null, chunk);
    },
    flush(callback) {
      bar.update(sent, true);
      bar.message('upload complete; waiting for the server to finish the last rows…');
      callback();
    },
  });
  const stream = createReadStream(options.file).pipe(counter);
  const response = await callApi(client, 'POST', `api/v1/imports${query.size ? `?${query}` : ''}`, {
    stream,
    type: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    length: size,
  }).finally(() => bar.done());

  if (response.status !== 201 && response.status !== 200) {
    if (options.json) process.stdout.write(`${JSON.stringify(response.body)}\n`);
    throw new CliError(`import failed: ${describeFailure(response)}`);
  }
  const summary = response.body as ImportSummary;
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.status !== 'completed') return 1;
  return summary.rejected > 0 ? 2 : 0;
}

const n = (value: number) => value.toLocaleString('en');
const split = (counts: Record<string, number>) =>
  Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${n(count)}`).join(' · ') || '–';

export function formatSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.dry_run ? 'Dry run' : 'Import'} ${summary.id} ${summary.status} in ${(summary.duration_ms / 1000).toFixed(1)} s (${n(summary.rows_per_second)} rows/s)`,
    `  rows          ${n(summary.rows)}`,
    `  imported      ${n(summary.imported)}`,
    `  updated       ${n(summary.updated)}`,
    `  unchanged     ${n(summary.unchanged)}`,
    `  rejected      ${n(summary.rejected)}`,
    `  paths         ${split(summary.paths)}`,
    `  hash formats  ${split(summary.hash_formats)}`,
  ];
  if (summary.ambiguous_hashes) lines.push(`  ambiguous     ${n(summary.ambiguous_hashes)} (set --hash-dialect or password_hash_format)`);
  if (Object.keys(summary.ignored_fields).length) lines.push(`  ignored keys  ${split(summary.ignored_fields)}`);
  if (summary.errors.length) {
    const shown = summary.errors.slice(0, 20);
    lines.push(`  errors (first ${shown.length} of ${n(summary.rejected)}; all at GET /api/v1/imports/${summary.id}/errors):`);
    for (const e of shown) lines.push(`    line ${e.line}${e.id ? `  id ${e.id}` : ''}  ${e.field}: ${e.reason}`);
  }
  if (summary.dry_run) lines.push('  nothing was written (dry run)');
  return `${lines.join('\n')}\n`;
}
