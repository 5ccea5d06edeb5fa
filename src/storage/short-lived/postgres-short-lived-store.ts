import type { Db } from '../db.ts';
import { checkTtl, DEFAULT_BUCKET_TTL_MS, type Counted, type ShortLivedStore, type TokenBucket } from './short-lived-store.ts';

const MS = "$ms::float8 * interval '1 millisecond'";
const ttl = (param: number) => MS.replace('$ms', `$${param}`);

// A bucket's tokens now: its stored tokens plus what accrued since, capped; a new or expired bucket starts at the
// initial tokens. $2 capacity, $3 rate per ms, $5 initial tokens, $6 the caller's now (ms).
const REFILLED = `(CASE WHEN s.expires_at <= now() OR s.tokens IS NULL OR s.tokens_at IS NULL THEN least($5::float8, $2::float8)
  ELSE least($2::float8, s.tokens + greatest(0, $6::float8 - s.tokens_at) * $3::float8) END)`;
const TAKEN = `greatest(0, least($4::float8, floor(${REFILLED})))`;

const TAKE_TOKENS = `
INSERT INTO short_lived AS s (key, tokens, tokens_at, count, expires_at)
VALUES ($1, least($5::float8, $2::float8) - greatest(0, least($4::float8, floor(least($5::float8, $2::float8)))), $6::float8,
        greatest(0, least($4::float8, floor(least($5::float8, $2::float8)))), now() + ${ttl(7)})
ON CONFLICT (key) DO UPDATE SET
  tokens = ${REFILLED} - ${TAKEN},
  count = ${TAKEN},
  tokens_at = CASE WHEN s.expires_at <= now() OR s.tokens_at IS NULL THEN $6::float8 ELSE greatest(s.tokens_at, $6::float8) END,
  value = NULL,
  expires_at = now() + ${ttl(7)}
RETURNING count::int AS taken`;

// The count restarts when the row has expired (or held something else); otherwise it adds, keeping the window.
const INCREMENT = `
INSERT INTO short_lived AS s (key, count, expires_at) VALUES ($1, $2::bigint, now() + ${ttl(3)})
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN s.expires_at <= now() OR s.count IS NULL THEN EXCLUDED.count ELSE s.count + EXCLUDED.count END,
  expires_at = CASE WHEN s.expires_at <= now() OR s.count IS NULL THEN EXCLUDED.expires_at ELSE s.expires_at END,
  value = NULL, tokens = NULL, tokens_at = NULL
RETURNING count, greatest(0, extract(epoch FROM s.expires_at - now()) * 1000)::float8 AS ttl_ms`;

const LEFT_MS = 'greatest(0, extract(epoch FROM expires_at - now()) * 1000)::float8';

/**
 * The short-lived store on PostgreSQL (the embedded PGlite or DATABASE_URL), one table keyed by key. Each step is
 * one statement, so a row lock makes it atomic on a server with many connections as on PGlite's one: counts and
 * buckets by INSERT … ON CONFLICT DO UPDATE … RETURNING, single-use takes by DELETE … RETURNING.
 */
export class PostgresShortLivedStore implements ShortLivedStore {
  readonly kind = 'postgres' as const;

  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | null> {
    const { rows } = await this.db.query<{ value: string | null }>('SELECT value FROM short_lived WHERE key = $1 AND expires_at > now()', [key]);
    return rows[0]?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO short_lived AS s (key, value, expires_at) VALUES ($1, $2, now() + ${ttl(3)})
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, count = NULL, tokens = NULL, tokens_at = NULL`,
      [key, value, checkTtl(ttlMs)],
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO short_lived AS s (key, value, expires_at) VALUES ($1, $2, now() + ${ttl(3)})
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, count = NULL, tokens = NULL, tokens_at = NULL
       WHERE s.expires_at <= now()`,
      [key, value, checkTtl(ttlMs)],
    );
    return rowCount === 1;
  }

  async replace(key: string, value: string): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE short_lived SET value = $2 WHERE key = $1 AND expires_at > now()', [key, value]);
    return rowCount === 1;
  }

  async getAndRenew(key: string, ttlMs: number): Promise<string | null> {
    const { rows } = await this.db.query<{ value: string | null }>(
      `UPDATE short_lived SET expires_at = now() + ${ttl(2)} WHERE key = $1 AND expires_at > now() RETURNING value`,
      [key, checkTtl(ttlMs)],
    );
    return rows[0]?.value ?? null;
  }

  async take(key: string): Promise<string | null> {
    // The row lock makes a concurrent take wait, then find nothing: one winner.
    const { rows } = await this.db.query<{ value: string | null; live: boolean }>(
      'DELETE FROM short_lived WHERE key = $1 RETURNING value, expires_at > now() AS live', [key],
    );
    return rows[0]?.live ? rows[0].value : null;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.db.query('DELETE FROM short_lived WHERE key = ANY($1::text[])', [keys]);
  }

  async deleteIfValue(key: string, value: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM short_lived WHERE key = $1 AND value = $2 AND expires_at > now()', [key, value]);
    return rowCount === 1;
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO short_lived AS s (key, value, expires_at) VALUES ($1, $2, now() + ${ttl(3)})
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, count = NULL, tokens = NULL, tokens_at = NULL
       WHERE s.value = EXCLUDED.value OR s.expires_at <= now()`,
      [key, owner, checkTtl(ttlMs)],
    );
    return rowCount === 1;
  }

  async increment(key: string, ttlMs: number, by = 1): Promise<Counted> {
    const { rows: [row] } = await this.db.query<{ count: number; ttl_ms: number }>(INCREMENT, [key, Math.trunc(by), checkTtl(ttlMs)]);
    if (!row || row.count <= 0) {
      // Only while it is still at or below 0: a count made meanwhile by another attempt stays.
      await this.db.query('DELETE FROM short_lived WHERE key = $1 AND count <= 0', [key]);
      return { count: 0, ttlMs: 0 };
    }
    return { count: row.count, ttlMs: Math.round(row.ttl_ms) };
  }

  async peekCount(key: string): Promise<Counted> {
    const { rows: [row] } = await this.db.query<{ count: number | null; ttl_ms: number }>(
      `SELECT count, ${LEFT_MS} AS ttl_ms FROM short_lived WHERE key = $1 AND expires_at > now()`, [key],
    );
    return row?.count && row.count > 0 ? { count: row.count, ttlMs: Math.round(row.ttl_ms) } : { count: 0, ttlMs: 0 };
  }

  async takeTokens(key: string, bucket: TokenBucket, now = Date.now()): Promise<number> {
    if (bucket.want <= 0 || bucket.capacity <= 0) return 0;
    const { rows: [row] } = await this.db.query<{ taken: number }>(TAKE_TOKENS, [
      key, bucket.capacity, bucket.refillPerSecond / 1000, Math.trunc(bucket.want), bucket.initialTokens ?? bucket.capacity, now,
      checkTtl(bucket.ttlMs ?? DEFAULT_BUCKET_TTL_MS),
    ]);
    return row?.taken ?? 0;
  }

  async returnTokens(key: string, tokens: number, capacity: number): Promise<void> {
    if (tokens > 0) {
      await this.db.query(
        'UPDATE short_lived SET tokens = least($3::float8, tokens + $2::float8) WHERE key = $1 AND tokens IS NOT NULL AND expires_at > now()',
        [key, tokens, capacity],
      );
    }
  }

  async keys(prefix: string): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>('SELECT key FROM short_lived WHERE starts_with(key, $1) AND expires_at > now() ORDER BY key', [prefix]);
    return rows.map((r) => r.key);
  }

  async sweep(batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      // Batches keep each delete short, so that it never holds many row locks a request might wait on.
      const { rowCount } = await this.db.query(
        `DELETE FROM short_lived WHERE key IN (
           SELECT key FROM short_lived WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [batchSize],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return total;
    }
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }
}
