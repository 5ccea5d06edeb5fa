import { setTimeout as sleep } from 'node:timers/promises';
import type { LegacyCheckCosts } from './legacy-check-costs.ts';

/** Headroom over the slowest measured check: one check varies from run to run, and the floor must stay above it. */
const SLOWEST_CHECK_FACTOR = 1.5;
const SLOWEST_CHECK_MARGIN_MS = 10;

/**
 * Every refusal (a 401 from /api/v1/verify and from the /signin pages) is answered no sooner than this: the
 * calibrated argon2id floor, or the slowest check of any stored legacy hash with headroom, whichever is longer.
 * Nothing a refusal does (an unknown login, cutover's own argon2id, a bcrypt cost 12 hash, a recovery code) then
 * shows in its timing. Import refuses a hash whose check would exceed its time budget, so the floor is bounded.
 */
export class FailureFloor {
  constructor(private readonly calibratedMs: number, private readonly costs: LegacyCheckCosts) {}

  get ms(): number {
    return Math.max(this.calibratedMs, Math.ceil(this.costs.slowestMs * SLOWEST_CHECK_FACTOR + SLOWEST_CHECK_MARGIN_MS));
  }

  /** Waits out what is left of the floor for a refusal whose work began at `startedAt` (`performance.now()`). */
  async pad(startedAt: number): Promise<void> {
    const remaining = this.ms - (performance.now() - startedAt);
    if (remaining > 0) await sleep(remaining);
  }

  /** A legacy hash check just took `ms`; a new kind of hash raises the floor. */
  observe(scheme: string, encoded: string, ms: number): Promise<void> {
    return this.costs.observe(scheme, encoded, ms);
  }
}
