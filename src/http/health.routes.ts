import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Db } from '../storage/db.ts';
import type { MailTransport } from '../mail/mail-transport.ts';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long one answer of the SMTP relay stands for /readyz. */
export const SMTP_CHECK_CACHE_MS = 10_000;

/** The queue store, as /readyz sees it (QueueSystem). */
export interface QueueCheck {
  readonly kind: 'redis' | 'postgres';
  ping(): Promise<void>;
}

/**
 * `/readyz` also names the stores in use (`stores.database`: embedded or postgres; `stores.queue`: postgres or
 * redis) and checks the queue store in `checks.queue`.
 *
 * `/healthz`: the process is up. `/readyz`: Postgres and (with REDIS_URL) Redis both answer; otherwise 503 naming what is down.
 * An SMTP relay is reported in `checks.smtp` but does not make the service unready: sign-in checks must go on while
 * the relay is away, and send jobs retry. Its check opens a connection to the relay, and anyone may call /readyz,
 * so one check (or the one under way) answers for 10 seconds.
 */
export function healthRoutes(db: Db, redis: Redis | null, mail?: MailTransport, options: { now?: () => number; queues?: QueueCheck } = {}): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  let smtpCached: { at: number; check: Promise<'ok' | 'down'> } | undefined;
  const smtpCheck = (): Promise<'ok' | 'down'> | undefined => {
    if (mail?.kind !== 'smtp') return undefined;
    if (!smtpCached || now() - smtpCached.at >= SMTP_CHECK_CACHE_MS) {
      smtpCached = { at: now(), check: within(2000, mail.verify()).then((ok) => (ok ? 'ok' : 'down'), () => 'down') };
    }
    return smtpCached.check;
  };
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const smtpAnswer = smtpCheck();
    const queues = options.queues;
    const [postgres, redisCheck, queueCheck] = await Promise.allSettled([
      within(2000, db.ping()), redis ? within(2000, redis.ping()) : Promise.resolve(), queues ? within(2000, queues.ping()) : Promise.resolve(),
    ]);
    const smtp = await smtpAnswer;
    const down = [
      postgres.status === 'rejected' ? 'postgres' : null, redis && redisCheck.status === 'rejected' ? 'redis' : null,
      queues && queueCheck.status === 'rejected' ? 'queue' : null,
    ].filter(Boolean);
    res.status(down.length ? 503 : 200).json({
      status: down.length ? 'unavailable' : 'ready',
      ...(down.length ? { down } : {}),
      stores: { database: db.embedded ? 'embedded' : 'postgres', ...(queues ? { queue: queues.kind } : {}) },
      checks: {
        postgres: postgres.status === 'fulfilled' ? 'ok' : 'down',
        ...(redis ? { redis: redisCheck.status === 'fulfilled' ? 'ok' : 'down' } : {}),
        ...(queues ? { queue: queueCheck.status === 'fulfilled' ? 'ok' : 'down' } : {}),
        ...(smtp ? { smtp } : {}),
      },
    });
  });
  return router;
}
