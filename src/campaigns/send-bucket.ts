import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';

/**
 * Paces one campaign's sends with a token bucket in the short-lived store. Tokens accrue at the rate up to
 * `capacity`, and a take returns whole tokens only. Keeping the capacity near 1 is what makes pacing smooth: in
 * any window of w ms at most capacity + rate·w go out. A new bucket starts nearly empty (at most one token), and
 * so does a lost one, which can only slow sending down for a moment.
 */
export class SendBucket {
  constructor(private readonly store: ShortLivedStore, private readonly prefix: string) {}

  private key(campaignId: string): string {
    return `${this.prefix}:send-bucket:${campaignId}`;
  }

  /** Takes up to `want` whole tokens at `ratePerHour`, with a burst of at most `capacity`. */
  async take(campaignId: string, ratePerHour: number, capacity: number, want: number, now = Date.now()): Promise<number> {
    if (ratePerHour <= 0 || want <= 0) return 0;
    return this.store.takeTokens(this.key(campaignId), { capacity, refillPerSecond: ratePerHour / 3600, want, initialTokens: Math.min(1, capacity) }, now);
  }

  /** Gives back tokens taken for work that turned out not to be there. */
  async refund(campaignId: string, tokens: number, capacity: number): Promise<void> {
    await this.store.returnTokens(this.key(campaignId), tokens, capacity);
  }
}
