import { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../http/authenticate.ts';
import { validate } from '../http/validate.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import type { StaffService } from './staff.service.ts';
import { STAFF_ROLES } from './staff-types.ts';

export const createStaffBody = z.object({
  email: z.string('is required').trim().max(254, 'must be at most 254 characters').pipe(z.email('must be an email address')),
  role: z.enum(STAFF_ROLES, { message: `must be one of ${STAFF_ROLES.join(', ')}` }),
});

/** Staff accounts over the API (admin only): `cutover staff add` and the console's staff page use these. */
export function staffRoutes(staff: StaffService, tokens: ApiTokenService): Router {
  const router = Router();
  const admin = requireRole(tokens, 'admin');

  router.post('/api/v1/staff', admin, async (req, res) => {
    const body = validate(createStaffBody, req.body ?? {});
    const created = await staff.create(body, principalOf(req), req.ip);
    res.status(201).location(`/api/v1/staff/${created.id}`).json(created);
  });

  router.get('/api/v1/staff', admin, async (_req, res) => {
    res.json({ staff: await staff.list() });
  });

  router.get('/api/v1/staff/:id', admin, async (req, res) => {
    res.json(await staff.get(String(req.params.id)));
  });

  router.post('/api/v1/staff/:id/disable', admin, async (req, res) => {
    res.json(await staff.disable(String(req.params.id), principalOf(req), req.ip));
  });

  return router;
}
