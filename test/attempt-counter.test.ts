import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { openRedis } from '../src/storage/redis.ts';
import { RedisAttemptCounter } from '../src/storage/attempt-counter.ts';

const redis = openRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const counter = new RedisAttemptCounter(redis);
const prefix = `cutover-test-${randomBytes(5).toString('hex')}`;
after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('counts are atomic: 100 at once get 1…100, each exactly once, and the window starts at the first', async () => {
  const key = `${prefix}:burst`;
  const counts = await Promise.all(Array.from({ length: 100 }, () => counter.countAttempt(key, 60)));
  assert.deepEqual(counts.map((c) => c.count).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
  assert.ok(counts.every((c) => c.ttl > 0 && c.ttl <= 60));
  await redis.expire(key, 30);
  assert.equal((await counter.countAttempt(key, 60)).ttl, 30, 'a later count does not move the window');
});

test('taking attempts back never leaves credit, and forget and peek see the same key', async () => {
  const key = `${prefix}:refund`;
  assert.deepEqual(await counter.countAttempt(key, 60), { count: 1, ttl: 60 });
  assert.deepEqual(await counter.countAttempt(key, 60, -1), { count: 0, ttl: 0 });
  assert.deepEqual(await counter.countAttempt(key, 60, -1), { count: 0, ttl: 0 }, 'no negative count');
  assert.equal(await redis.exists(key), 0);
  await counter.countAttempt(key, 60);
  assert.equal((await counter.peekAttempts(key)).count, 1);
  await counter.forgetAttempts(key);
  assert.deepEqual(await counter.peekAttempts(key), { count: 0, ttl: 0 });
});
