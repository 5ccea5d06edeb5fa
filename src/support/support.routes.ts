import { Router } from 'express';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { principalOf, requireRole } from '../http/authenticate.ts';
import { validate } from '../http/validate.ts';
import type { Request } from 'express';
import type { SupportService, ActionContext } from './support.service.ts';
import { clearLockoutSchema, liftSuppressionSchema, contactSchema, extendSchema, resendSchema, resetSchema, searchQuery } from './support.schemas.ts';

/** The support lookup for outside tools (support, admin): search, a user's whole story, and the six actions. */
export function supportRoutes(support: SupportService, tokens: ApiTokenService): Router {
  const router = Router();
  const agent = requireRole(tokens, 'support');
  const ctx = (req: Request, reason: string): ActionContext => ({ actor: principalOf(req), reason, ip: req.ip });
  const id = (req: Request) => String(req.params.id);

  router.get('/api/v1/support/users', agent, async (req, res) => {
    const { q } = validate(searchQuery, req.query);
    res.json({ users: await support.search(q) });
  });
  router.get('/api/v1/support/users/:id', agent, async (req, res) => {
    res.json(await support.story(id(req)));
  });
  router.post('/api/v1/support/users/:id/resend-invitation', agent, async (req, res) => {
    const body = validate(resendSchema, req.body ?? {});
    res.status(201).json(await support.resendInvitation(id(req), body, ctx(req, body.reason)));
  });
  router.post('/api/v1/support/users/:id/extend-link', agent, async (req, res) => {
    const body = validate(extendSchema, req.body ?? {});
    res.json(await support.extendLink(id(req), body.hours, ctx(req, body.reason)));
  });
  router.post('/api/v1/support/users/:id/contacts', agent, async (req, res) => {
    const body = validate(contactSchema, req.body ?? {});
    res.status(201).json(await support.recordContact(id(req), body, ctx(req, body.reason)));
  });
  router.post('/api/v1/support/users/:id/clear-lockout', agent, async (req, res) => {
    const body = validate(clearLockoutSchema, req.body ?? {});
    res.json(await support.clearLockout(id(req), ctx(req, body.reason)));
  });
  router.post('/api/v1/support/users/:id/lift-suppression', agent, async (req, res) => {
    const body = validate(liftSuppressionSchema, req.body ?? {});
    res.json(await support.liftSuppression(id(req), ctx(req, body.reason)));
  });
  router.post('/api/v1/support/users/:id/reset-enrolment', agent, async (req, res) => {
    const body = validate(resetSchema, req.body ?? {});
    res.json(await support.resetEnrolment(id(req), body, ctx(req, body.reason)));
  });
  return router;
}
