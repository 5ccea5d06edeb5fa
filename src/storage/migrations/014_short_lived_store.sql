-- The short-lived store on PostgreSQL (src/storage/short-lived/postgres-short-lived-store.ts), used when REDIS_URL
-- is not set: sessions, WebAuthn challenges, attempt counters, hook answers, the dispatcher lock, send buckets.
-- A row is dead once expires_at has passed: reads ignore it, writes start it again, and the worker's sweep deletes
-- it in batches (through the index on expires_at).
CREATE TABLE short_lived (
  key text PRIMARY KEY,
  -- A plain value (set/get/take/claim).
  value text,
  -- A counter (increment), or the whole tokens the last take of a bucket gave.
  count bigint,
  -- A token bucket: fractional tokens, and the caller's clock (ms since the epoch) they were counted at.
  tokens double precision,
  tokens_at double precision,
  expires_at timestamptz NOT NULL
);

CREATE INDEX short_lived_expires_at ON short_lived (expires_at);
