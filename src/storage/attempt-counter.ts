import type { Redis } from 'ioredis';

export interface AttemptCount {
  /** Attempts in the window, this one included. */
  count: number;
  /** Seconds until the window ends (0 when nothing is counted). */
  ttl: number;
}

/**
 * The storage every limiter counts through: one atomic "add and start the window" step, so that a limit is
 * checked on the count its own attempt made, never on one read earlier (concurrent guesses would all read the
 * same old count). Limiters use only these primitives, so that another store can stand in for Redis.
 */
export interface AttemptCounter {
  /**
   * Adds `by` to the key's count and answers the new count. The window starts at the first count and is not
   * moved by later ones. A count brought to 0 or below is gone (so taking back an attempt never leaves credit).
   */
  countAttempt(key: string, windowSeconds: number, by?: number): Promise<AttemptCount>;
  /** The key's count and window, without counting. */
  peekAttempts(key: string): Promise<AttemptCount>;
  forgetAttempts(...keys: string[]): Promise<void>;
}

// INCRBY and EXPIRE NX in one script: the key never exists without its expiry, and a refund cannot make credit.
const COUNT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n <= 0 then redis.call('DEL', KEYS[1]) return {0, 0} end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) ttl = tonumber(ARGV[2]) end
return {n, ttl}`;

export class RedisAttemptCounter implements AttemptCounter {
  constructor(private readonly redis: Redis) {}

  async countAttempt(key: string, windowSeconds: number, by = 1): Promise<AttemptCount> {
    const [count, ttl] = await this.redis.eval(COUNT, 1, key, by, windowSeconds) as [number, number];
    return { count, ttl };
  }

  async peekAttempts(key: string): Promise<AttemptCount> {
    const results = (await this.redis.pipeline().get(key).ttl(key).exec()) ?? [];
    return { count: Number(results[0]?.[1] ?? 0), ttl: Math.max(0, Number(results[1]?.[1] ?? 0)) };
  }

  async forgetAttempts(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys);
  }
}
