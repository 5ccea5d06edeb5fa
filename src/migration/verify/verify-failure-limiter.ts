import { createHash } from 'node:crypto';
import { addressBlock } from '../../http/address-block.ts';
import type { AttemptCounter } from '../../storage/attempt-counter.ts';

export interface FailureLimiterOptions {
  prefix: string;
  /** Attempts per subject (a user, a login, a credential…) in the window; the next one waits. */
  maxFailures: number;
  windowSeconds: number;
  /**
   * Attempts from one address (an IPv6 client by its /64) before it waits; higher than per login where many
   * people share an address.
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
 * What a sign-in count is kept under: the user, once the login is known to be theirs, so that their email and
 * legacy id share one count; else the login as typed (any case). Either way the login is looked up first (one
 * indexed read, the same for a known and an unknown login), and counted before any password is checked.
 */
export function limitSubject(login: string, userId?: string | null): string {
  return userId ? `user:${userId}` : `login:${login.trim().toLowerCase()}`;
}

/**
 * Counts attempts per subject and per end-user address, never per API client: a target platform sends every
 * user's sign-in through one client. An attempt is counted before it is checked, in one atomic step, so that
 * concurrent guesses cannot all pass on one old count; a right answer then takes its attempt back. The window
 * starts at the first attempt. Keys hold a hash of the subject and address, so Redis never stores who tried.
 */
export class VerifyFailureLimiter {
  constructor(private readonly counter: AttemptCounter, private readonly options: FailureLimiterOptions) {}

  private keys(subject: string | null, ip?: string): Array<{ key: string; max: number }> {
    const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);
    const scope = `${this.options.prefix}:${this.options.scope ?? 'verify-fail'}`;
    const keys = [];
    if (subject !== null) keys.push({ key: `${scope}:login:${digest(subject.trim().toLowerCase())}`, max: this.options.maxFailures });
    if (ip) keys.push({ key: `${scope}:ip:${digest(addressBlock(ip))}`, max: this.options.maxFailuresPerIp ?? this.options.maxFailures });
    return keys;
  }

  /**
   * Counts this attempt for the subject (null: the address alone) and the address, before anything is checked.
   * Answers 0 to go on and check, or the seconds to wait; a refused attempt is taken back again, so a count
   * holds only attempts that were checked and the window is not stretched by waiting callers.
   */
  async attempt(subject: string | null, ip?: string): Promise<number> {
    const keys = this.keys(subject, ip);
    const window = this.options.windowSeconds;
    const counts = await Promise.all(keys.map(({ key }) => this.counter.countAttempt(key, window)));
    const wait = Math.max(0, ...counts.map(({ count, ttl }, i) => (count > keys[i]!.max ? ttl || window : 0)));
    if (wait > 0) await this.takeBack(keys);
    return wait;
  }

  /**
   * The attempt proved right: the subject's count starts again. The address only takes back this attempt, since
   * others behind it may be guessing other logins.
   */
  async succeeded(subject: string | null, ip?: string): Promise<void> {
    const keys = this.keys(subject, ip);
    const own = subject === null ? 0 : 1;
    await Promise.all([this.counter.forgetAttempts(...keys.slice(0, own).map(({ key }) => key)), this.takeBack(keys.slice(own))]);
  }

  /** The attempt got no verdict (the password was right and a code is asked for, or no one could check it): it does not count. */
  async uncount(subject: string | null, ip?: string): Promise<void> {
    await this.takeBack(this.keys(subject, ip));
  }

  /** The subject's own count (addresses are not per user): attempts in the window and seconds until it ends. */
  async loginStatus(subject: string): Promise<{ failures: number; max: number; retryAfter: number; windowEndsIn: number }> {
    const { count: failures, ttl: windowEndsIn } = await this.counter.peekAttempts(this.keys(subject)[0]!.key);
    return { failures, max: this.options.maxFailures, windowEndsIn, retryAfter: failures >= this.options.maxFailures ? windowEndsIn || this.options.windowSeconds : 0 };
  }

  async clear(subject: string, ip?: string): Promise<void> {
    await this.counter.forgetAttempts(...this.keys(subject, ip).map(({ key }) => key));
  }

  private async takeBack(keys: Array<{ key: string }>): Promise<void> {
    await Promise.all(keys.map(({ key }) => this.counter.countAttempt(key, this.options.windowSeconds, -1)));
  }
}
