import type { Counted, ShortLivedStore } from './short-lived/short-lived-store.ts';

export interface AttemptCount {
  /** Attempts in the window, this one included. */
  count: number;
  /** Seconds until the window ends (0 when nothing is counted). */
  ttl: number;
}

/**
 * The storage every limiter counts through: one atomic "add and start the window" step, so that a limit is
 * checked on the count its own attempt made, never on one read earlier (concurrent guesses would all read the
 * same old count). Limiters use only these primitives, so that either short-lived store serves them.
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

/** Attempt counts on the short-lived store (Redis or PostgreSQL): its increment is the one atomic step. */
export class ShortLivedAttemptCounter implements AttemptCounter {
  constructor(private readonly store: ShortLivedStore) {}

  async countAttempt(key: string, windowSeconds: number, by = 1): Promise<AttemptCount> {
    return seconds(await this.store.increment(key, windowSeconds * 1000, by));
  }

  async peekAttempts(key: string): Promise<AttemptCount> {
    return seconds(await this.store.peekCount(key));
  }

  async forgetAttempts(...keys: string[]): Promise<void> {
    await this.store.delete(...keys);
  }
}

function seconds(counted: Counted): AttemptCount {
  return { count: counted.count, ttl: counted.count > 0 ? Math.max(1, Math.ceil(counted.ttlMs / 1000)) : 0 };
}
