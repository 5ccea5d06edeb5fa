import type { Redis } from 'ioredis';

// A token bucket per campaign. Tokens accrue at rate/ms up to `capacity`; a take returns whole tokens only.
// Keeping the capacity near 1 is what makes pacing smooth: in any window of w ms at most capacity + rate·w go out.
const TAKE = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil then tokens = math.min(1, capacity); at = now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local take = math.min(want, math.floor(tokens))
tokens = tokens - take
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return take`;

const REFUND = `
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or '0') + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(ARGV[2]), tokens)))
return 1`;

/**
 * Paces one campaign's sends. Redis holds only this bucket: if it is lost, the bucket starts again nearly empty,
 * which can only slow sending down for a moment.
 */
export class SendBucket {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(campaignId: string): string {
    return `${this.prefix}:send-bucket:${campaignId}`;
  }

  /** Takes up to `want` whole tokens at `ratePerHour`, with a burst of at most `capacity`. */
  async take(campaignId: string, ratePerHour: number, capacity: number, want: number, now = Date.now()): Promise<number> {
    if (ratePerHour <= 0 || want <= 0) return 0;
    const taken = await this.redis.eval(TAKE, 1, this.key(campaignId), now, ratePerHour / 3_600_000, capacity, want);
    return Number(taken);
  }

  /** Gives back tokens taken for work that turned out not to be there. */
  async refund(campaignId: string, tokens: number, capacity: number): Promise<void> {
    if (tokens > 0) await this.redis.eval(REFUND, 1, this.key(campaignId), tokens, capacity);
  }
}
