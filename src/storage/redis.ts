import { Redis } from 'ioredis';

/**
 * One connection for commands (rate limits, breaker state). BullMQ needs `maxRetriesPerRequest: null` on the
 * connections it blocks on; the queue module creates those itself from the same URL.
 */
export function openRedis(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new Redis(url, { lazyConnect: options.lazyConnect ?? false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

