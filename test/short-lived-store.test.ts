// The contract every short-lived store meets (src/storage/short-lived/short-lived-store.ts), run unchanged against
// Redis (a key prefix per test), PostgreSQL on the server (a fresh schema) and PostgreSQL on an embedded PGlite.
// With CUTOVER_TEST_STORAGE=embedded only the PGlite store runs: that suite needs no server at all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createLogger } from '../src/observability/logger.ts';
import type { Db } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open-database.ts';
import { openRedis } from '../src/storage/redis.ts';
import { PostgresShortLivedStore } from '../src/storage/short-lived/postgres-short-lived-store.ts';
import { RedisShortLivedStore } from '../src/storage/short-lived/redis-short-lived-store.ts';
import type { ShortLivedStore } from '../src/storage/short-lived/short-lived-store.ts';

const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('silent');

interface Harness {
  store: ShortLivedStore;
  /** Rows of the table, expired or not (PostgreSQL only): what the sweep must remove. */
  rawKeys?: (prefix: string) => Promise<string[]>;
  close(): Promise<void>;
}

const rawKeysOf = (db: Db) => async (prefix: string) =>
  (await db.query<{ key: string }>('SELECT key FROM short_lived WHERE starts_with(key, $1)', [prefix])).rows.map((r) => r.key);

const harnesses: Record<string, () => Promise<Harness>> = {
  async redis() {
    const redis = openRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const store = new RedisShortLivedStore(redis);
    return {
      store,
      async close() {
        redis.disconnect();
      },
    };
  },
  async 'postgres server'() {
    const schema = `t_sls_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const db = await openDatabase({ databaseUrl: `${BASE_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, dataDir: tmpdir(), poolSize: 20, logger });
    await migrate(db, logger);
    return {
      store: new PostgresShortLivedStore(db),
      rawKeys: rawKeysOf(db),
      async close() {
        await db.close();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  },
  async 'embedded PGlite'() {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-sls-'));
    const db = await openDatabase({ dataDir, logger });
    await migrate(db, logger);
    return {
      store: new PostgresShortLivedStore(db),
      rawKeys: rawKeysOf(db),
      async close() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const which = process.env.CUTOVER_TEST_STORAGE === 'embedded' ? ['embedded PGlite'] : Object.keys(harnesses);

for (const name of which) {
  describe(`short-lived store contract: ${name}`, () => {
    let harness: Harness;
    let store: ShortLivedStore;
    const runId = `cutover-test-sls-${randomBytes(5).toString('hex')}`;
    let n = 0;
    /** A key prefix of its own for each test. */
    const fresh = () => `${runId}:${(n += 1)}:`;

    before(async () => {
      harness = await harnesses[name]!();
      store = harness.store;
    });
    after(async () => {
      await store.delete(...(await store.keys(`${runId}:`)));
      await harness.close();
    });

    test('values live for their TTL, then read as absent; set replaces, delete removes', async () => {
      const p = fresh();
      await store.set(`${p}a`, 'one', 600);
      await store.set(`${p}b`, 'long', 60_000);
      assert.equal(await store.get(`${p}a`), 'one');
      await store.set(`${p}b`, 'two', 60_000);
      assert.equal(await store.get(`${p}b`), 'two');
      assert.equal(await store.get(`${p}missing`), null);
      await sleep(900);
      assert.equal(await store.get(`${p}a`), null, 'expired after its TTL');
      assert.equal(await store.get(`${p}b`), 'two');
      await store.delete(`${p}b`, `${p}missing`);
      assert.equal(await store.get(`${p}b`), null);
      await assert.rejects(async () => store.set(`${p}c`, 'x', 0), RangeError, 'a TTL of 0 would mean for ever in one store and gone in the other');
    });

    test('getAndRenew moves the expiry, replace keeps it and writes nothing when the key is gone', async () => {
      const p = fresh();
      await store.set(`${p}s`, 'v1', 700);
      await sleep(400);
      assert.equal(await store.getAndRenew(`${p}s`, 700), 'v1');
      await sleep(400);
      assert.equal(await store.get(`${p}s`), 'v1', 'renewed: alive 800 ms after a 700 ms set');
      assert.equal(await store.replace(`${p}s`, 'v2'), true);
      assert.equal(await store.get(`${p}s`), 'v2');
      await sleep(450);
      assert.equal(await store.get(`${p}s`), null, 'replace kept the renewed expiry, it did not extend it');
      assert.equal(await store.replace(`${p}s`, 'v3'), false);
      assert.equal(await store.getAndRenew(`${p}s`, 60_000), null, 'an expired value is not brought back');
      assert.equal(await store.get(`${p}s`), null);
    });

    test('setIfAbsent: of 20 at once exactly one sets the key; it can be set again once expired', async () => {
      const p = fresh();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(`${p}lock`, String(i), 500)));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal(await store.get(`${p}lock`), String(winner));
      await sleep(700);
      assert.equal(await store.setIfAbsent(`${p}lock`, 'later', 60_000), true);
      assert.equal(await store.get(`${p}lock`), 'later');
    });

    test('take is single use: of 20 concurrent takes exactly one gets the value; an expired value is taken by none', async () => {
      const p = fresh();
      // Opens 20 connections first (the server's pool), so that the takes really run side by side.
      await Promise.all(Array.from({ length: 20 }, () => sleep(50).then(() => store.get(`${p}warm`))));
      for (let round = 0; round < 5; round += 1) {
        await store.set(`${p}challenge`, `secret-${round}`, 60_000);
        const taken = await Promise.all(Array.from({ length: 20 }, () => store.take(`${p}challenge`)));
        assert.deepEqual(taken.filter((v) => v !== null), [`secret-${round}`], `round ${round}: one winner`);
        assert.equal(await store.get(`${p}challenge`), null);
      }
      await store.set(`${p}old`, 'stale', 300);
      await sleep(500);
      assert.equal(await store.take(`${p}old`), null);
      assert.equal(await store.take(`${p}never`), null);
    });

    test('increment: 100 at once give 1…100 each once, the window starts at the first count and restarts once expired', async () => {
      const p = fresh();
      const counts = await Promise.all(Array.from({ length: 100 }, () => store.increment(`${p}n`, 60_000)));
      assert.deepEqual(counts.map((c) => c.count).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
      assert.ok(counts.every((c) => c.ttlMs > 0 && c.ttlMs <= 60_000), 'every count answers the time left');
      const later = await store.increment(`${p}n`, 600_000);
      assert.equal(later.count, 101);
      assert.ok(later.ttlMs <= 60_000, `a later count does not move the window (${later.ttlMs} ms left)`);
      const peeked = await store.peekCount(`${p}n`);
      assert.equal(peeked.count, 101, 'peek does not count');
      assert.ok(peeked.ttlMs > 0 && peeked.ttlMs <= 60_000);
      assert.equal((await store.increment(`${p}n`, 60_000, 4)).count, 105, 'by adds more than one');

      await store.increment(`${p}short`, 300);
      assert.equal((await store.increment(`${p}short`, 300)).count, 2);
      await sleep(500);
      assert.deepEqual(await store.peekCount(`${p}short`), { count: 0, ttlMs: 0 });
      const again = await store.increment(`${p}short`, 60_000);
      assert.equal(again.count, 1, 'an expired window starts again');
      assert.ok(again.ttlMs > 59_000, 'with the new window');
    });

    test('increment: taking counts back never leaves credit, and delete forgets a count', async () => {
      const p = fresh();
      assert.equal((await store.increment(`${p}r`, 60_000)).count, 1);
      assert.deepEqual(await store.increment(`${p}r`, 60_000, -1), { count: 0, ttlMs: 0 });
      assert.deepEqual(await store.increment(`${p}r`, 60_000, -1), { count: 0, ttlMs: 0 }, 'no negative count');
      assert.equal((await store.increment(`${p}r`, 60_000)).count, 1, 'the next attempt counts from 1, not from below 0');
      await store.delete(`${p}r`);
      assert.deepEqual(await store.peekCount(`${p}r`), { count: 0, ttlMs: 0 });
    });

    test('claim: one owner at a time, renewed by its owner, released only by its owner, lost at its TTL', async () => {
      const p = fresh();
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim(`${p}lease`, `owner-${i}`, 60_000)));
      assert.equal(claims.filter(Boolean).length, 1);
      const owner = `owner-${claims.indexOf(true)}`;
      const other = owner === 'owner-0' ? 'owner-1' : 'owner-0';
      assert.equal(await store.claim(`${p}lease`, owner, 400), true, 'the owner renews');
      assert.equal(await store.claim(`${p}lease`, other, 60_000), false);
      assert.equal(await store.deleteIfValue(`${p}lease`, other), false, 'another cannot release it');
      await sleep(600);
      assert.equal(await store.claim(`${p}lease`, other, 60_000), true, 'a dead owner loses it at the TTL');
      assert.equal(await store.deleteIfValue(`${p}lease`, other), true);
      assert.equal(await store.claim(`${p}lease`, owner, 60_000), true);
    });

    test('token bucket: 50 concurrent takes never issue more than the bucket holds', async () => {
      const p = fresh();
      const now = Date.now();
      const ones = await Promise.all(Array.from({ length: 50 }, () => store.takeTokens(`${p}b1`, { capacity: 10, refillPerSecond: 1, want: 1 }, now)));
      assert.equal(ones.reduce((a, b) => a + b, 0), 10, 'a full bucket of 10 gives exactly 10 at one instant');
      const threes = await Promise.all(Array.from({ length: 50 }, () => store.takeTokens(`${p}b3`, { capacity: 10, refillPerSecond: 1, want: 3 }, now)));
      assert.equal(threes.reduce((a, b) => a + b, 0), 10);
      assert.ok(threes.every((t) => t >= 0 && t <= 3));
      const slow = await Promise.all(Array.from({ length: 50 }, () => store.takeTokens(`${p}b0`, { capacity: 5, refillPerSecond: 0.001, want: 1, initialTokens: 1 })));
      assert.equal(slow.reduce((a, b) => a + b, 0), 1, 'a bucket that starts with one token gives one');
    });

    test('token bucket: tokens refill at the rate up to the capacity; returned tokens never exceed it', async () => {
      const p = fresh();
      const t0 = Date.now();
      const bucket = { capacity: 10, refillPerSecond: 5, want: 100 };
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0), 10);
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0), 0);
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 1000), 5, '5 per second, one second later');
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 1300), 1, '1.5 accrued: whole tokens only');
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 1400), 1, 'the half token was kept');
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 60_000), 10, 'never above the capacity');
      await store.returnTokens(`${p}b`, 3, 10);
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 60_000), 3);
      await store.returnTokens(`${p}b`, 50, 10);
      assert.equal(await store.takeTokens(`${p}b`, bucket, t0 + 60_000), 10, 'a refund is capped at the capacity');
      await store.returnTokens(`${p}gone`, 5, 10);
      assert.equal(await store.takeTokens(`${p}gone`, { ...bucket, initialTokens: 0 }, t0), 0, 'a refund does not create a bucket');
      // Real time, the caller's clock: 20/s for about 300 ms.
      assert.equal(await store.takeTokens(`${p}live`, { capacity: 100, refillPerSecond: 20, want: 100, initialTokens: 0 }), 0);
      await sleep(300);
      const refilled = await store.takeTokens(`${p}live`, { capacity: 100, refillPerSecond: 20, want: 100 });
      assert.ok(refilled >= 5 && refilled <= 40, `about 6 tokens after 300 ms at 20/s, got ${refilled}`);
    });

    test('keys lists the live keys under a prefix, taken literally', async () => {
      const p = fresh();
      await store.set(`${p}a_%*[x]:1`, '1', 60_000);
      await store.set(`${p}a_%*[x]:2`, '2', 60_000);
      await store.set(`${p}ab:3`, '3', 60_000);
      await store.set(`${p}a_%*[x]:gone`, '4', 300);
      await sleep(500);
      assert.deepEqual((await store.keys(`${p}a_%*[x]:`)).sort(), [`${p}a_%*[x]:1`, `${p}a_%*[x]:2`]);
    });

    test('sweep deletes expired entries in batches and keeps live ones', async () => {
      const p = fresh();
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.set(`${p}old:${i}`, 'x', 300)));
      await store.increment(`${p}old:count`, 300);
      await store.takeTokens(`${p}old:bucket`, { capacity: 1, refillPerSecond: 1, want: 1, ttlMs: 300 });
      await store.set(`${p}live`, 'y', 60_000);
      await sleep(500);
      if (harness.rawKeys) assert.equal((await harness.rawKeys(p)).length, 15, 'expired rows stay until the sweep');
      const swept = await store.sweep(5);
      if (harness.rawKeys) {
        assert.ok(swept >= 14, `the sweep went on past its first batch of 5 (deleted ${swept})`);
        assert.deepEqual(await harness.rawKeys(p), [`${p}live`]);
      } else {
        assert.equal(swept, 0, 'Redis expires keys itself');
      }
      assert.deepEqual(await store.keys(p), [`${p}live`]);
      assert.equal(await store.get(`${p}live`), 'y');
    });

    test('ping answers', async () => {
      await store.ping();
      assert.equal(store.kind, name === 'redis' ? 'redis' : 'postgres');
    });
  });
}
