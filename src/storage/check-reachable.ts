import { Redis } from 'ioredis';
import pg from 'pg';
import { EXIT_UNAVAILABLE, StartupError } from '../config/startup-error.ts';
import { isConnectionError } from '../observability/connection-watch.ts';
import { maskUrl } from './mask-url.ts';

/**
 * Startup keeps trying a configured server (one still starting beside it) until this long after the process began,
 * then stops: counted from process start, so a slow start on a busy machine still ends within 10 seconds.
 */
export const REACH_DEADLINE_MS = 7000;
const MIN_BUDGET_MS = 1000;
const ATTEMPT_TIMEOUT_MS = 1500;
const PAUSE_MS = 500;

export interface Reachable {
  databaseUrl?: string;
  redisUrl?: string;
}

/**
 * Before anything opens a pool: each configured server answers, or startup stops by REACH_DEADLINE_MS with one
 * line naming it, its address (credentials masked) and what to do. A refusal that retrying cannot mend (a wrong
 * password, a missing database) stops at once.
 */
export async function checkReachable(servers: Reachable, budgetMs = Math.max(MIN_BUDGET_MS, REACH_DEADLINE_MS - process.uptime() * 1000)): Promise<void> {
  await Promise.all([
    servers.databaseUrl ? untilAnswer(() => pingPostgres(servers.databaseUrl!), budgetMs, (reason) => new StartupError(
      `cannot reach PostgreSQL at ${maskUrl(servers.databaseUrl!)} (DATABASE_URL): ${reason}. Start PostgreSQL there or correct DATABASE_URL; or unset DATABASE_URL to use the embedded database`,
      EXIT_UNAVAILABLE,
    )) : undefined,
    servers.redisUrl ? untilAnswer(() => pingRedis(servers.redisUrl!), budgetMs, (reason) => new StartupError(
      `cannot reach Redis at ${maskUrl(servers.redisUrl!)} (REDIS_URL): ${reason}. Start Redis there or correct REDIS_URL; or unset REDIS_URL to keep the queues in PostgreSQL`,
      EXIT_UNAVAILABLE,
    )) : undefined,
  ]);
}

async function untilAnswer(ping: () => Promise<void>, budgetMs: number, fail: (reason: string) => StartupError): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      await ping();
      return;
    } catch (error) {
      if (!isConnectionError(error) || Date.now() + PAUSE_MS >= deadline) throw fail(reasonOf(error));
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
}

/** A short reason, never a stack: `connection refused`, or the server's own words for anything else. */
function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host name not found';
    case 'ETIMEDOUT': return 'no answer (timed out)';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    default: return (message ?? String(error)).split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 200);
  }
}

async function pingPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: ATTEMPT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: ATTEMPT_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: unknown;
  redis.on('error', (error) => { lastError = error; });
  try {
    await redis.connect().catch((error: unknown) => { throw lastError ?? error; });
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}
