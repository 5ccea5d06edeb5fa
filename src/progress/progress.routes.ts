import { Router } from 'express';
import { requireRole } from '../http/authenticate.ts';
import { sendCsv } from '../http/csv.ts';
import { validate } from '../http/validate.ts';
import type { Queryable } from '../storage/db.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { formatQuery } from '../funnel/funnel.routes.ts';
import { loadProgress } from './load-progress.ts';
import { PROGRESS_CSV_HEADER, progressCsvRows } from './progress-csv.ts';

/** GET /api/v1/progress (admin, comms, support): the identity-debt figures as JSON or ?format=csv. */
export function progressRoutes(db: Queryable, tokens: ApiTokenService): Router {
  const router = Router();
  router.get('/api/v1/progress', requireRole(tokens, 'comms', 'support'), async (req, res) => {
    const { format } = validate(formatQuery, req.query);
    const report = await loadProgress(db);
    if (format === 'json') return void res.json(report);
    sendCsv(res, `progress-${report.generated_at.slice(0, 10)}.csv`, PROGRESS_CSV_HEADER, progressCsvRows(report));
  });
  return router;
}
