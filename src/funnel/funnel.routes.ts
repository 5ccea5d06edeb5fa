import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/authenticate.ts';
import { sendCsv } from '../http/csv.ts';
import { validate } from '../http/validate.ts';
import type { Queryable } from '../storage/db.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { FUNNEL_CSV_HEADER, funnelCsvRows } from './funnel-csv.ts';
import { loadFunnel, type FunnelScope } from './load-funnel.ts';

export const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** GET /api/v1/campaigns/:id/funnel and /api/v1/waves/:id/funnel (admin, comms, support), as JSON or ?format=csv. */
export function funnelRoutes(db: Queryable, tokens: ApiTokenService): Router {
  const router = Router();
  const readers = requireRole(tokens, 'comms', 'support');

  const answer = async (req: Request, res: Response, scope: FunnelScope) => {
    const { format } = validate(formatQuery, req.query);
    const report = await loadFunnel(db, scope);
    if (format === 'json') return void res.json(report);
    const id = report.scope.wave_id ?? report.scope.campaign_id;
    sendCsv(res, `funnel-${report.scope.kind}-${id}.csv`, FUNNEL_CSV_HEADER, funnelCsvRows(report));
  };

  router.get('/api/v1/campaigns/:id/funnel', readers, (req, res) => answer(req, res, { campaignId: String(req.params.id) }));
  router.get('/api/v1/waves/:id/funnel', readers, (req, res) => answer(req, res, { waveId: String(req.params.id) }));
  return router;
}
