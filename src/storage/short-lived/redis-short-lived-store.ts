import type { Redis } from 'ioredis';
import { checkTtl, DEFAULT_BUCKET_TTL_MS, type Counted, type ShortLivedStore, type TokenBucket } from './short-lived-store.ts';

// INCRBY and PEXPIRE in one script: the key never exists without its expiry, and a refund cannot make credit.
const INCREMENT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n <= 0 then redis.call('DEL', KEYS[1]) return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) ttl = tonumber(ARGV[2]) end
return {n, ttl}`;

const DELETE_IF_VALUE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`;

// A hash of tokens (fractional) and the time they were counted at, in ms. Whole tokens only are taken.
const TAKE_TOKENS = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = math.min(tonumber(ARGV[5]), capacity); at = now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local take = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - take
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(at, now)))
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return take`;

const RETURN_TOKENS = `
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(ARGV[2]), tokens + tonumber(ARGV[1]))))
return 1`;

const SCRIPTS = {
  cutoverIncrement: INCREMENT,
  cutoverDeleteIfValue: DELETE_IF_VALUE,
  cutoverClaim: CLAIM,
  cutoverTakeTokens: TAKE_TOKENS,
  cutoverReturnTokens: RETURN_TOKENS,
} as const;

/** The scripts as ioredis commands: each call sends EVALSHA, and the script body only when Redis lacks it. */
type Scripts = { [name in keyof typeof SCRIPTS]: (key: string, ...args: (string | number)[]) => Promise<unknown> };

/** The short-lived store on Redis (REDIS_URL): Redis expires keys itself, and scripts make each step atomic. */
export class RedisShortLivedStore implements ShortLivedStore {
  readonly kind = 'redis' as const;
  private readonly scripts: Scripts;

  constructor(private readonly redis: Redis) {
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.scripts = redis as unknown as Scripts;
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', checkTtl(ttlMs));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'PX', checkTtl(ttlMs), 'NX')) !== null;
  }

  async replace(key: string, value: string): Promise<boolean> {
    return (await this.redis.set(key, value, 'KEEPTTL', 'XX')) !== null;
  }

  getAndRenew(key: string, ttlMs: number): Promise<string | null> {
    return this.redis.getex(key, 'PX', checkTtl(ttlMs));
  }

  take(key: string): Promise<string | null> {
    return this.redis.getdel(key);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys);
  }

  async deleteIfValue(key: string, value: string): Promise<boolean> {
    return Number(await this.scripts.cutoverDeleteIfValue(key, value)) === 1;
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.scripts.cutoverClaim(key, owner, checkTtl(ttlMs))) === 1;
  }

  async increment(key: string, ttlMs: number, by = 1): Promise<Counted> {
    const [count, left] = (await this.scripts.cutoverIncrement(key, Math.trunc(by), checkTtl(ttlMs))) as [number, number];
    return { count: Number(count), ttlMs: Number(left) };
  }

  async peekCount(key: string): Promise<Counted> {
    const results = (await this.redis.pipeline().get(key).pttl(key).exec()) ?? [];
    const count = Number(results[0]?.[1] ?? 0);
    return count > 0 ? { count, ttlMs: Math.max(0, Number(results[1]?.[1] ?? 0)) } : { count: 0, ttlMs: 0 };
  }

  async takeTokens(key: string, bucket: TokenBucket, now = Date.now()): Promise<number> {
    if (bucket.want <= 0 || bucket.capacity <= 0) return 0;
    const taken = await this.scripts.cutoverTakeTokens(
      key, now, bucket.refillPerSecond / 1000, bucket.capacity, Math.trunc(bucket.want),
      bucket.initialTokens ?? bucket.capacity, checkTtl(bucket.ttlMs ?? DEFAULT_BUCKET_TTL_MS),
    );
    return Number(taken);
  }

  async returnTokens(key: string, tokens: number, capacity: number): Promise<void> {
    if (tokens > 0) await this.scripts.cutoverReturnTokens(key, tokens, capacity);
  }

  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const batch of this.redis.scanStream({ match: pattern, count: 500 })) found.push(...(batch as string[]));
    return [...new Set(found)];
  }

  async sweep(): Promise<number> {
    return 0;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
