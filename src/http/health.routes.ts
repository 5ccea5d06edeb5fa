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

/**
 * `/healthz`: the process is up. `/readyz`: Postgres and Redis both answer; otherwise 503 naming what is down.
 * An SMTP relay is reported in `checks.smtp` but does not make the service unready: sign-in checks must go on while
 * the relay is away, and send jobs retry.
 */
export function healthRoutes(db: Db, redis: Redis, mail?: MailTransport): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const smtpCheck = mail?.kind === 'smtp' ? within(2000, mail.verify()).then((ok) => (ok ? 'ok' : 'down'), () => 'down') : undefined;
    const [postgres, redisCheck] = await Promise.allSettled([within(2000, db.ping()), within(2000, redis.ping())]);
    const smtp = await smtpCheck;
    const down = [postgres.status === 'rejected' ? 'postgres' : null, redisCheck.status === 'rejected' ? 'redis' : null].filter(Boolean);
    res.status(down.length ? 503 : 200).json({
      status: down.length ? 'unavailable' : 'ready',
      ...(down.length ? { down } : {}),
      checks: {
        postgres: postgres.status === 'fulfilled' ? 'ok' : 'down',
        redis: redisCheck.status === 'fulfilled' ? 'ok' : 'down',
        ...(smtp ? { smtp } : {}),
      },
    });
  });
  return router;
}
