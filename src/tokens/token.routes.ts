import { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../http/authenticate.ts';
import { NotFoundError } from '../http/app-error.ts';
import { ROLES } from '../http/roles.ts';
import { validate } from '../http/validate.ts';
import type { ApiTokenService } from './api-token.service.ts';
import { isUuid } from '../storage/is-uuid.ts';

export const createBody = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
});

export function tokenRoutes(tokens: ApiTokenService): Router {
  const router = Router();
  const admin = requireRole(tokens, 'admin');

  router.post('/api/v1/tokens', admin, async (req, res) => {
    const body = validate(createBody, req.body ?? {});
    res.status(201).json(await tokens.create(body, principalOf(req), req.ip));
  });

  router.get('/api/v1/tokens', admin, async (_req, res) => {
    res.json({ tokens: await tokens.list() });
  });

  router.delete('/api/v1/tokens/:id', admin, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await tokens.revoke(id, principalOf(req), req.ip))) throw new NotFoundError('Token');
    res.status(204).end();
  });

  return router;
}
