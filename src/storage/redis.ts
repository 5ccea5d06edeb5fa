import { Redis } from 'ioredis';

/**
 * One connection for commands (rate limits, breaker state). BullMQ needs `maxRetriesPerRequest: null` on the
 * connections it blocks on; the queue module creates those itself from the same URL.
 */
export function openRedis(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new Redis(url, { lazyConnect: options.lazyConnect ?? false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

/**
 * Until the short-lived store lands (issue 10, branch short-lived-store), sessions, challenges, limiters, the token
 * bucket and hook dedupe still live in Redis; without REDIS_URL they use the old default address. The queues no
 * longer need it (src/queue/queue-store.ts).
 */
export const SHORT_LIVED_REDIS_UNTIL_STORE = 'redis://127.0.0.1:6379';
