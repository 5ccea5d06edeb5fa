import { Router, type Response } from 'express';
import { z } from 'zod';
import { validate } from '../http/validate.ts';
import type { HookProblem } from './hook-problem.ts';
import { hookLogin, hookPassword } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';

/*
 * FusionAuth Generic Connector (fusionauth-site, lifecycle/migrate-users/connectors/generic-connector): FusionAuth
 * POSTs the Login API request (`loginId`, `password`, `applicationId`, …) and expects the Login API's answer: 200
 * with `{"user":{…}}` when the credentials are right, 404 when the user is unknown or the password is wrong. The
 * user's `id` must be a stable UUID: cutover's user id.
 */
export const fusionAuthRequest = z.object({
  loginId: hookLogin,
  password: hookPassword,
  applicationId: z.guid('must be a UUID (8-4-4-4-12 hex digits)').optional(),
}).passthrough();
export const fusionAuthUser = z.object({
  id: z.string().uuid(), email: z.string().optional(), username: z.string().optional(), verified: z.boolean(), active: z.boolean(),
  firstName: z.string().optional(), lastName: z.string().optional(), fullName: z.string().optional(),
  preferredLanguages: z.array(z.string()).optional(), timezone: z.string().optional(), mobilePhone: z.string().optional(),
  registrations: z.array(z.object({ applicationId: z.guid(), verified: z.boolean() })).optional(),
  data: z.object({ legacy_id: z.string() }).passthrough(),
});
export const fusionAuthResponse = z.object({ user: fusionAuthUser });
/** FusionAuth's Errors object: `fieldErrors` by field and `generalErrors`, each `{code, message}`. */
export const fusionAuthErrors = z.object({
  fieldErrors: z.record(z.string(), z.array(z.object({ code: z.string(), message: z.string() }))).optional(),
  generalErrors: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});

export function fusionAuthHook({ hooks }: HookDeps): Router {
  const router = Router();
  router.post('/hooks/fusionauth/connector', async (req, res) => {
    const { loginId, password, applicationId } = validate(fusionAuthRequest, req.body ?? {});
    const outcome = await hooks.check({ platform: 'fusionauth', login: loginId, password });
    if (outcome.kind === 'unavailable') {
      return void renderFusionAuthProblem({ status: 503, code: 'legacy_unavailable', message: 'the legacy system cannot answer' }, res.setHeader('Retry-After', '30'));
    }
    const user = outcome.kind === 'verified' ? outcome.result.user : null;
    // A jit answer we could not store (its email is another user's) has no cutover id, so no stable UUID: not found.
    if (!user || user.id === null || !('state' in user)) return void res.status(404).json({});
    const optional = (key: string, value: string | null | undefined) => (value ? { [key]: value } : {});
    res.json({
      user: {
        id: user.id,
        ...(user.email ? { email: user.email } : { username: user.legacy_id }),
        verified: user.email_verified ?? false,
        active: true,
        ...optional('firstName', user.given_name), ...optional('lastName', user.family_name), ...optional('fullName', user.name),
        ...(user.locale ? { preferredLanguages: [user.locale] } : {}), ...optional('timezone', user.timezone), ...optional('mobilePhone', user.phone),
        ...(applicationId ? { registrations: [{ applicationId, verified: true }] } : {}),
        data: { legacy_id: user.legacy_id },
      },
    });
  });
  return router;
}

export function renderFusionAuthProblem(problem: HookProblem, res: Response): void {
  res.status(problem.status).json(problem.fields
    ? { fieldErrors: Object.fromEntries(problem.fields.map((f) => [f.field, [{ code: `[invalid]${f.field}`, message: `${f.field} ${f.reason}` }]])) }
    : { generalErrors: [{ code: `[${problem.code}]`, message: problem.message }] });
}
