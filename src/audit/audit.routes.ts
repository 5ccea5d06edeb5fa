import { Router } from 'express';
import type { Db } from '../storage/db.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { requireRole } from '../http/authenticate.ts';
import { validate } from '../http/validate.ts';
import { listAuditEntries } from './audit-log.service.ts';
import { auditQuery } from './audit.schemas.ts';

/** GET /api/v1/audit (admin): the audit log, filtered and paged. There is deliberately no route that writes it. */
export function auditRoutes(db: Db, tokens: ApiTokenService): Router {
  const router = Router();
  router.get('/api/v1/audit', requireRole(tokens, 'admin'), async (req, res) => {
    res.json(await listAuditEntries(db, validate(auditQuery, req.query)));
  });
  return router;
}
