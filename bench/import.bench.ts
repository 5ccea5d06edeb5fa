import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import http from 'node:http';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateExport } from './generate-export.ts';
import { BENCH_DATABASE_URL, startBenchServer } from './bench-server.ts';

export interface ImportBenchResult {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  ratio: number;
  summary: Record<string, unknown>;
}

const COLUMNS = ['id', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'locale', 'timezone', 'created_at', 'last_login_at', 'attributes', 'password_hash'];

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same rows as CSV for the COPY baseline, made once and untimed. */
async function toCsv(jsonl: string, csv: string): Promise<void> {
  if (existsSync(csv) && statSync(csv).size > 0) return;
  const out = createWriteStream(csv);
  for await (const line of readline.createInterface({ input: createReadStream(jsonl) })) {
    const row = JSON.parse(line) as Record<string, unknown>;
    if (!out.write(`${COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function upload(url: string, token: string, file: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'content-length': statSync(file).size },
    }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`import answered ${res.statusCode}: ${body.slice(0, 500)}`))));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

async function copyBaseline(csv: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_copy_scratch');
    await client.query(`CREATE TABLE bench_copy_scratch (legacy_id text, email text, email_verified boolean, name text, given_name text,
      family_name text, locale text, timezone text, created_at timestamptz, last_login_at timestamptz, attributes jsonb, password_hash text)`);
    const started = performance.now();
    await pipeline(createReadStream(csv), client.query(copyFrom('COPY bench_copy_scratch FROM STDIN (FORMAT csv)')));
    const seconds = (performance.now() - started) / 1000;
    const { rows: [count] } = await client.query('SELECT count(*)::int AS n FROM bench_copy_scratch');
    if (count.n !== rows) throw new Error(`COPY loaded ${count.n} rows, expected ${rows}`);
    return seconds;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_copy_scratch').catch(() => undefined);
    await client.end();
  }
}

export async function importBench(rows: number, port: number): Promise<ImportBenchResult> {
  mkdirSync('.bench', { recursive: true });
  const file = `.bench/export-${rows}.jsonl`;
  process.stderr.write(`generating ${rows.toLocaleString('en')} rows into ${file}…\n`);
  const bytes = await generateExport(file, rows);
  await toCsv(file, `.bench/export-${rows}.csv`);
  const server = await startBenchServer(port);
  let summary: Record<string, unknown>;
  let seconds: number;
  let peakRssMiB: number;
  try {
    process.stderr.write('importing through POST /api/v1/imports…\n');
    const started = performance.now();
    summary = await upload(server.url, server.adminToken, file);
    seconds = (performance.now() - started) / 1000;
    peakRssMiB = server.peakRssMiB();
  } finally {
    await server.stop();
  }
  if (summary.imported !== rows) throw new Error(`imported ${String(summary.imported)} of ${rows}: ${JSON.stringify(summary).slice(0, 800)}`);
  process.stderr.write('COPY baseline…\n');
  const copySeconds = await copyBaseline(`.bench/export-${rows}.csv`, rows);
  return {
    rows, bytes, seconds, rowsPerSecond: rows / seconds, peakRssMiB, copySeconds, copyRowsPerSecond: rows / copySeconds,
    ratio: seconds / copySeconds, summary,
  };
}
