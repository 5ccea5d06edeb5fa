import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchServer {
  url: string;
  adminToken: string;
  pid: number;
  schema: string;
  databaseUrl: string;
  /** Peak resident set size of the server process so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/**
 * The command a benchmark starts: the compiled `dist/main.js` (what the image runs, no tsx) when BENCH_COMPILED=1
 * and `npm run build` has made it, else `bin/cutover.js` from the checkout (TypeScript through tsx).
 */
export function cutoverCommand(): string {
  const compiled = path.join(ROOT, 'dist/main.js');
  if (process.env.BENCH_COMPILED === '1') {
    if (!existsSync(compiled)) throw new Error('BENCH_COMPILED=1 needs dist/main.js: run npm run build first');
    return compiled;
  }
  return path.join(ROOT, 'bin/cutover.js');
}

/** Starts `cutover serve` as its own process on a fresh schema, so its memory is measured alone. */
export async function startBenchServer(port: number, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const databaseUrl = `${BENCH_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const adminToken = 'bench-admin-token-0123456789abcdef';
  const child: ChildProcess = spawn(process.execPath, [cutoverCommand(), 'serve'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, CUTOVER_ADMIN_TOKEN: adminToken,
      QUEUE_PREFIX: `bench-${schema}`, LOG_LEVEL: 'warn', DATA_DIR: path.join(ROOT, '.bench/data'), VERIFY_MAX_FAILURES: '10000',
      // BENCH_REDIS_URL: setup 3 (queues and short-lived state in Redis); without it setup 2 (all in PostgreSQL)
      ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}), ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, adminToken, pid: child.pid!, schema, databaseUrl,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      const cleanup = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

export function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const cores = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  const memGiB = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024;
  return `${cores} cores (${cpu}), ${memGiB.toFixed(0)} GiB, Node ${process.version}`;
}
