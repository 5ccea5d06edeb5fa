/**
 * Everything cutover keeps for seconds to hours and may lose without harm beyond a sign-in or a limiter window:
 * sessions, WebAuthn challenges, attempt counters, hook dedupe answers, the dispatcher's lock and send buckets.
 * Two implementations meet this one contract (test/short-lived-store.test.ts runs the same cases on both):
 * Redis (`redis-short-lived-store.ts`, when REDIS_URL is set) and PostgreSQL (`postgres-short-lived-store.ts`,
 * on the embedded PGlite or DATABASE_URL). Features use only this interface, never ioredis or pg for it.
 *
 * Every time-to-live is in milliseconds. Every key has one: nothing here lives for ever.
 */
export interface ShortLivedStore {
  /** Which store this is, for /readyz and logs. */
  readonly kind: 'redis' | 'postgres';

  /** The live value at `key`, or null when it is absent or expired. */
  get(key: string): Promise<string | null>;
  /** Sets `key` to `value` for `ttlMs`, replacing whatever was there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only when it holds no live value; true when this call set it (a lock, a dedupe mark). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Replaces the live value at `key`, keeping its expiry; false (and nothing written) when there is none. */
  replace(key: string, value: string): Promise<boolean>;
  /** The live value at `key`, its expiry moved to `ttlMs` from now in the same step (idle timeouts). */
  getAndRenew(key: string, ttlMs: number): Promise<string | null>;
  /**
   * Reads and deletes `key` in one atomic step (single-use values): of any number of concurrent takes, exactly
   * one gets the value.
   */
  take(key: string): Promise<string | null>;
  delete(...keys: string[]): Promise<void>;
  /** Deletes `key` only while it holds `value` (releasing a lock that is still ours); true when it did. */
  deleteIfValue(key: string, value: string): Promise<boolean>;
  /**
   * Holds `key` for `owner`: takes it when absent or expired, renews it to `ttlMs` when `owner` already holds it,
   * and answers false while someone else does. One atomic step (a lease that a dead process loses at its TTL).
   */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;

  /**
   * Adds `by` to the count at `key` and answers the new count with the time left. The window (`ttlMs`) starts at
   * the first count and is not moved by later ones; an expired count starts again. A count brought to 0 or below
   * is deleted and answers `{ count: 0, ttlMs: 0 }`, so taking an attempt back never leaves credit.
   */
  increment(key: string, ttlMs: number, by?: number): Promise<Counted>;
  /** The count at `key` and the time left, without counting (`{ count: 0, ttlMs: 0 }` when there is none). */
  peekCount(key: string): Promise<Counted>;

  /**
   * Takes up to `bucket.want` whole tokens from the token bucket at `key`, atomically: concurrent takes never
   * issue more than the bucket holds. Tokens accrue at `refillPerSecond` up to `capacity`; a new (or expired)
   * bucket starts with `initialTokens` (default: full). Answers how many were taken (0…want).
   * `now` (ms since the epoch, default Date.now()) is the caller's clock, so that pacing can be tested.
   */
  takeTokens(key: string, bucket: TokenBucket, now?: number): Promise<number>;
  /** Gives back tokens taken for work that turned out not to be there (never above `capacity`; a gone bucket stays gone). */
  returnTokens(key: string, tokens: number, capacity: number): Promise<void>;

  /** The live keys that start with `prefix` (tests and operators; it scans, so keep it off request paths). */
  keys(prefix: string): Promise<string[]>;
  /**
   * Deletes expired entries in batches and answers how many went. Redis expires keys itself (answers 0);
   * PostgreSQL needs it called now and then (the worker schedules it): reads already ignore expired rows.
   */
  sweep(batchSize?: number): Promise<number>;
  ping(): Promise<void>;
}

export interface Counted {
  count: number;
  /** Milliseconds until the window ends (0 when nothing is counted). */
  ttlMs: number;
}

export interface TokenBucket {
  capacity: number;
  refillPerSecond: number;
  want: number;
  /** @defaultValue capacity */
  initialTokens?: number;
  /** How long an idle bucket is kept. @defaultValue 3_600_000 (an hour) */
  ttlMs?: number;
}

export const DEFAULT_BUCKET_TTL_MS = 3_600_000;

/** Rejects a TTL that would make a key live for ever or expire at once by mistake. */
export function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs < 1) throw new RangeError(`short-lived TTL must be at least 1 ms, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
