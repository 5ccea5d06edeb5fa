import { Router, type Response } from 'express';
import { z } from 'zod';
import { validate } from '../http/validate.ts';
import type { HookProblem } from './hook-problem.ts';
import { hookLogin, hookPassword } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';

/*
 * Ory Kratos password migration hook (ory/docs, kratos/manage-identities/import-user-accounts-identities,
 * "Implement the password migration web hook"): the default body is `{"identifier","password"}`. "If the password
 * matches, the web hook must respond with a 200 OK status code and {"status": "password_match"} … If the password
 * does not match, the webhook should return 403 Forbidden … Any other response will be treated as an unexpected
 * error" (Kratos also reads at most 1 KB of the answer).
 */
export const kratosRequest = z.object({ identifier: hookLogin, password: hookPassword }).passthrough();
export const kratosResponse = z.object({ status: z.literal('password_match') });
export const kratosRefusal = z.object({ error: z.object({ code: z.number().int(), status: z.string(), reason: z.string().optional(), message: z.string() }) });

export function kratosHook({ hooks }: HookDeps): Router {
  const router = Router();
  router.post('/hooks/kratos/password-migration', async (req, res) => {
    const { identifier, password } = validate(kratosRequest, req.body ?? {});
    const outcome = await hooks.check({ platform: 'kratos', login: identifier, password });
    if (outcome.kind === 'verified') return void res.json({ status: 'password_match' });
    if (outcome.kind === 'unavailable') {
      // Not 403: Kratos would tell the user the password is wrong. Any other status is "unexpected error, try again".
      return void renderKratosProblem({ status: 503, code: 'legacy_unavailable', message: 'the legacy system cannot answer' }, res.setHeader('Retry-After', '30'));
    }
    renderKratosProblem({ status: 403, code: 'password_mismatch', message: 'the password does not match' }, res);
  });
  return router;
}

/** Ory's error envelope (herodot): `{"error":{"code","status","reason","message"}}`. */
export function renderKratosProblem(problem: HookProblem, res: Response): void {
  const reason = problem.fields?.map((f) => `${f.field} ${f.reason}`).join('; ');
  res.status(problem.status).json({ error: { code: problem.status, status: problem.code, ...(reason ? { reason } : {}), message: problem.message } });
}
