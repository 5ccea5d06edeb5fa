import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../src/observability/logger.ts';
import { ShortLivedAttemptCounter } from '../src/storage/attempt-counter.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open-database.ts';
import { openRedis } from '../src/storage/redis.ts';
import { PostgresShortLivedStore } from '../src/storage/short-lived/postgres-short-lived-store.ts';
import { RedisShortLivedStore } from '../src/storage/short-lived/redis-short-lived-store.ts';
import type { ShortLivedStore } from '../src/storage/short-lived/short-lived-store.ts';

// The limiters' counter on each store: Redis in the server suite, the embedded PGlite in the embedded one (no Redis).
const embedded = process.env.CUTOVER_TEST_STORAGE === 'embedded';

describe(`attempt counter on ${embedded ? 'PostgreSQL (embedded PGlite)' : 'Redis'}`, () => {
  let store: ShortLivedStore;
  let close: () => Promise<void>;
  const prefix = `cutover-test-${randomBytes(5).toString('hex')}`;
  before(async () => {
    if (embedded) {
      const logger = createLogger('silent');
      const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-attempts-'));
      const db = await openDatabase({ dataDir, logger });
      await migrate(db, logger);
      store = new PostgresShortLivedStore(db);
      close = async () => { await db.close(); rmSync(dataDir, { recursive: true, force: true }); };
    } else {
      const redis = openRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
      store = new RedisShortLivedStore(redis);
      close = async () => { await store.delete(...(await store.keys(`${prefix}:`))); redis.disconnect(); };
    }
  });
  after(() => close());

  test('counts are atomic: 100 at once get 1…100, each exactly once, and the window starts at the first', async () => {
    const counter = new ShortLivedAttemptCounter(store);
    const key = `${prefix}:burst`;
    const counts = await Promise.all(Array.from({ length: 100 }, () => counter.countAttempt(key, 60)));
    assert.deepEqual(counts.map((c) => c.count).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.ok(counts.every((c) => c.ttl > 0 && c.ttl <= 60));
    assert.ok((await counter.countAttempt(key, 3600)).ttl <= 60, 'a later count does not move the window');
  });

  test('taking attempts back never leaves credit, and forget and peek see the same key', async () => {
    const counter = new ShortLivedAttemptCounter(store);
    const key = `${prefix}:refund`;
    assert.deepEqual(await counter.countAttempt(key, 60), { count: 1, ttl: 60 });
    assert.deepEqual(await counter.countAttempt(key, 60, -1), { count: 0, ttl: 0 });
    assert.deepEqual(await counter.countAttempt(key, 60, -1), { count: 0, ttl: 0 }, 'no negative count');
    assert.deepEqual(await store.keys(key), []);
    await counter.countAttempt(key, 60);
    assert.equal((await counter.peekAttempts(key)).count, 1);
    await counter.forgetAttempts(key);
    assert.deepEqual(await counter.peekAttempts(key), { count: 0, ttl: 0 });
  });
});
