import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface FailureLimiterOptions {
  prefix: string;
  maxFailures: number;
  windowSeconds: number;
  /**
   * Failures from one address before it waits; higher than per login where many people share an address.
   * @defaultValue maxFailures
   */
  maxFailuresPerIp?: number;
  /**
   * Names the keys, so that other sign-ins (staff login) count apart from verify.
   * @defaultValue 'verify-fail'
   */
  scope?: string;
}

/**
 * Counts failed verifications per login and per end-user address, never per API client: a target platform sends
 * every user's sign-in through one client. The window starts at the first failure. Keys hold a hash of the login,
 * so Redis never stores who tried.
 */
export class VerifyFailureLimiter {
  constructor(private readonly redis: Redis, private readonly options: FailureLimiterOptions) {}

  private keys(login: string, ip?: string): string[] {
    const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);
    const scope = `${this.options.prefix}:${this.options.scope ?? 'verify-fail'}`;
    const keys = [`${scope}:login:${digest(login.trim().toLowerCase())}`];
    if (ip) keys.push(`${scope}:ip:${digest(ip)}`);
    return keys;
  }

  /** Seconds until the caller may try again, or 0 when it may try now. */
  async retryAfter(login: string, ip?: string): Promise<number> {
    const keys = this.keys(login, ip);
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.get(key).ttl(key);
    const results = (await pipeline.exec()) ?? [];
    let wait = 0;
    for (let i = 0; i < keys.length; i++) {
      const count = Number(results[i * 2]?.[1] ?? 0);
      const ttl = Number(results[i * 2 + 1]?.[1] ?? 0);
      const max = i === 0 ? this.options.maxFailures : this.options.maxFailuresPerIp ?? this.options.maxFailures;
      if (count >= max) wait = Math.max(wait, ttl > 0 ? ttl : this.options.windowSeconds);
    }
    return wait;
  }

  async recordFailure(login: string, ip?: string): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of this.keys(login, ip)) pipeline.incr(key).expire(key, this.options.windowSeconds, 'NX');
    await pipeline.exec();
  }

  /** A right password clears the login's count (not the address's: one address may be guessing many logins). */
  async recordSuccess(login: string): Promise<void> {
    await this.redis.del(this.keys(login)[0]!);
  }

  /** The login's own count (addresses are not per user): failures in the window and seconds until it ends. */
  async loginStatus(login: string): Promise<{ failures: number; max: number; retryAfter: number; windowEndsIn: number }> {
    const key = this.keys(login)[0]!;
    const results = (await this.redis.pipeline().get(key).ttl(key).exec()) ?? [];
    const failures = Number(results[0]?.[1] ?? 0);
    const windowEndsIn = Math.max(0, Number(results[1]?.[1] ?? 0));
    return { failures, max: this.options.maxFailures, windowEndsIn, retryAfter: failures >= this.options.maxFailures ? windowEndsIn || this.options.windowSeconds : 0 };
  }

  async clear(login: string, ip?: string): Promise<void> {
    await this.redis.del(...this.keys(login, ip));
  }
}
