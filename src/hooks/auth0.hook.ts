import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../http/app-error.ts';
import { validate } from '../http/validate.ts';
import { findHookUser, mayTakeOver } from './find-hook-user.ts';
import { hookLogin } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';

/*
 * Auth0 custom database, import mode (auth0/docs, authenticate/database-connections/custom-db): the `login` script
 * (contrib/auth0/login.js) calls POST /api/v1/verify with `"platform":"auth0"`; the `get_user` script
 * (contrib/auth0/get_user.js) asks here whether a user exists, "callback(null)" being "not found" (custom-db
 * error-handling). Auth0 calls get_user on sign-up and on password reset; the profile never carries a secret.
 */
export const auth0Params = z.object({ login: hookLogin });
export const auth0Profile = z.object({
  user_id: z.string(), email: z.string().optional(), email_verified: z.boolean(), name: z.string().optional(),
  given_name: z.string().optional(), family_name: z.string().optional(), app_metadata: z.object({ legacy_id: z.string() }),
});

export function auth0Hook({ db }: HookDeps): Router {
  const router = Router();
  router.get('/hooks/auth0/users/:login', async (req, res) => {
    const { login } = validate(auth0Params, req.params);
    const user = await findHookUser(db, login);
    if (!user || !mayTakeOver(user)) throw new NotFoundError('User');
    const optional = (key: string, value: string | null) => (value ? { [key]: value } : {});
    res.json({
      user_id: user.id, ...optional('email', user.email), email_verified: user.email_verified ?? false,
      ...optional('name', user.name), ...optional('given_name', user.given_name), ...optional('family_name', user.family_name),
      app_metadata: { legacy_id: user.legacy_id },
    });
  });
  return router;
}
