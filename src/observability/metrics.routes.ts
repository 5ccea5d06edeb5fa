import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../http/app-error.ts';
import type { QueueSystem } from '../queue/queue-system.ts';
import type { Queryable } from '../storage/db.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { collectMetrics } from './collect-metrics.ts';
import type { ProcessMetrics } from './metrics-registry.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Lets a scraper in with `Authorization: Bearer <METRICS_TOKEN>`, or with an admin API token. No staff session:
 * Prometheus is a machine. 401 without a known token, 403 for a token of another role.
 */
export function requireMetricsToken(tokens: ApiTokenService, metricsToken: string | undefined): RequestHandler {
  const expected = metricsToken ? digest(metricsToken) : null;
  return async (req, _res, next) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!presented) throw new UnauthorizedError();
    if (expected && timingSafeEqual(digest(presented), expected)) return next();
    const principal = await tokens.authenticate(presented);
    if (!principal) throw new UnauthorizedError();
    if (principal.role !== 'admin') throw new ForbiddenError();
    next();
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(deps: { db: Queryable; queues: QueueSystem; tokens: ApiTokenService; metrics: ProcessMetrics; metricsToken?: string }): Router {
  const router = Router();
  router.get('/metrics', requireMetricsToken(deps.tokens, deps.metricsToken), async (_req, res) => {
    res.type('text/plain; version=0.0.4; charset=utf-8').send(await collectMetrics(deps.db, deps.queues, deps.metrics));
  });
  return router;
}
