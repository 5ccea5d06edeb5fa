// The short-lived store's two hot steps (a limiter's increment, a challenge's get-and-delete) on each store, at a
// fixed concurrency for a fixed time; the baseline in the same run is the bare round trip of the same backend
// (Redis PING, PostgreSQL SELECT 1) at the same concurrency.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../src/observability/logger.ts';
import type { Db } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open-database.ts';
import { openRedis } from '../src/storage/redis.ts';
import { PostgresShortLivedStore } from '../src/storage/short-lived/postgres-short-lived-store.ts';
import { RedisShortLivedStore } from '../src/storage/short-lived/redis-short-lived-store.ts';
import type { ShortLivedStore } from '../src/storage/short-lived/short-lived-store.ts';

export interface StoreBenchRow {
  store: string;
  /** Bare round trips per second (PING or SELECT 1). */
  baseline: number;
  increment: number;
  take: number;
}

export interface StoreBenchResult {
  concurrency: number;
  seconds: number;
  rows: StoreBenchRow[];
  load: string;
}

/** Runs `step` from `concurrency` loops for `seconds`; answers steps per second. */
async function rate(concurrency: number, seconds: number, step: (loop: number, i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, loop) => {
    for (let i = 0; performance.now() < end; i += 1) {
      await step(loop, i);
      done += 1;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

async function measure(name: string, store: ShortLivedStore, ping: () => Promise<unknown>, concurrency: number, seconds: number): Promise<StoreBenchRow> {
  const prefix = `cutover-bench-${randomBytes(4).toString('hex')}`;
  await rate(concurrency, 1, () => ping()); // warm the connections
  const baseline = await rate(concurrency, seconds, () => ping());
  // Increments spread over 1,000 keys per loop, as limiters count per login and per address.
  const increment = await rate(concurrency, seconds, (loop, i) => store.increment(`${prefix}:n:${loop}:${i % 1000}`, 60_000));
  // Each take has a value to take: put it first, outside the timing (timed: the take alone).
  let takeMs = 0;
  let takes = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, loop) => {
    for (let i = 0; performance.now() < end; i += 1) {
      const key = `${prefix}:c:${loop}:${i}`;
      await store.set(key, '1', 60_000);
      const t = performance.now();
      if ((await store.take(key)) !== '1') throw new Error(`take lost ${key}`);
      takeMs += performance.now() - t;
      takes += 1;
    }
  }));
  // takeMs adds every loop's time: concurrency loops run side by side.
  const take = takes / (takeMs / 1000 / concurrency);
  await store.delete(...(await store.keys(`${prefix}:`)));
  return { store: name, baseline, increment, take };
}

export async function storeBench(concurrency = 16, seconds = 5): Promise<StoreBenchResult> {
  const logger = createLogger('silent');
  const rows: StoreBenchRow[] = [];

  const redis = openRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  rows.push(await measure('Redis', new RedisShortLivedStore(redis), () => redis.ping(), concurrency, seconds));
  redis.disconnect();

  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_sls_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const server = await openDatabase({ databaseUrl: `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, dataDir: tmpdir(), poolSize: concurrency, logger });
  try {
    await migrate(server, logger);
    rows.push(await measure('PostgreSQL server', new PostgresShortLivedStore(server), () => server.ping(), concurrency, seconds));
  } finally {
    await server.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }

  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-bench-sls-'));
  const embedded: Db = await openDatabase({ dataDir, logger });
  try {
    await migrate(embedded, logger);
    rows.push(await measure('embedded PGlite', new PostgresShortLivedStore(embedded), () => embedded.ping(), concurrency, seconds));
  } finally {
    await embedded.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { concurrency, seconds, rows, load: loadavg().map((l) => l.toFixed(2)).join(' ') };
}
