import { isIP } from 'node:net';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../http/app-error.ts';
import { validate } from '../http/validate.ts';
import { TOTP_PERIOD_S } from '../identity/totp.ts';
import { findHookUser, mayTakeOver, type HookUser } from './find-hook-user.ts';
import { hookLogin, hookPassword } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';
import type { SecretBox } from '../identity/secret-box.ts';

/*
 * The keycloak-user-migration plugin's REST contract (daniel-frak/keycloak-user-migration README, "Prerequisites -
 * REST endpoints in the legacy system"): `GET {base}/{username or email}` answers the user JSON, and "any HTTP status
 * other than 200 will be interpreted as the user not having been found"; `POST {base}/{username}` with
 * `{"password"}` answers 200 "if the password is correct. Any other response will be treated as invalid
 * credentials." `totps` (newer plugin versions) carries authenticator apps into Keycloak's OTP credentials.
 */
export const keycloakParams = z.object({ username: hookLogin });
export const keycloakPasswordRequest = z.object({ password: hookPassword }).passthrough();
export const keycloakTotp = z.object({
  name: z.string(), secret: z.string(), digits: z.number().int(), period: z.number().int(),
  algorithm: z.enum(['HmacSHA1', 'HmacSHA256', 'HmacSHA512']), encoding: z.literal('BASE32'),
});
export const keycloakUser = z.object({
  id: z.string(), username: z.string(), email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable(),
  enabled: z.boolean(), emailVerified: z.boolean(), attributes: z.record(z.string(), z.array(z.string())),
  roles: z.array(z.string()), groups: z.array(z.string()), requiredActions: z.array(z.string()), totps: z.array(keycloakTotp),
});

/**
 * A TOTP secret leaves cutover only over TLS, or to a caller on this host (Keycloak beside cutover): `req.secure`
 * honours X-Forwarded-Proto only from the trusted proxies (app "trust proxy").
 */
export function mayCarryTotp(req: Request): boolean {
  if (req.secure) return true;
  const ip = req.ip ?? '';
  return isIP(ip) !== 0 && (ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.'));
}

const asAttributes = (user: HookUser): Record<string, string[]> => {
  const out: Record<string, string[]> = { legacy_id: [user.legacy_id], cutover_id: [user.id] };
  for (const [k, v] of Object.entries(user.attributes ?? {})) {
    if (v === null || v === undefined) continue;
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  }
  return out;
};

export function keycloakUserJson(user: HookUser, box: SecretBox, withTotp: boolean): z.infer<typeof keycloakUser> {
  const username = typeof user.attributes?.username === 'string' ? user.attributes.username : (user.email ?? user.legacy_id);
  return {
    id: user.legacy_id, username, email: user.email, firstName: user.given_name, lastName: user.family_name,
    enabled: user.state !== 'disabled', emailVerified: user.email_verified ?? false, attributes: asAttributes(user),
    roles: [], groups: [], requiredActions: [],
    totps: withTotp && user.totp_id && user.totp_secret
      ? [{ name: 'cutover', secret: box.decrypt(user.totp_secret, `user:${user.id}`), digits: 6, period: TOTP_PERIOD_S, algorithm: 'HmacSHA1', encoding: 'BASE32' }]
      : [],
  };
}

export function keycloakHook({ hooks, db, box }: HookDeps): Router {
  const router = Router();
  router.get('/hooks/keycloak/users/:username', async (req, res) => {
    const { username } = validate(keycloakParams, req.params);
    const user = await findHookUser(db, username);
    // A reset-path user who has not enrolled is "not found": Keycloak would create an account without a credential.
    if (!user || !mayTakeOver(user)) throw new NotFoundError('User');
    res.json(keycloakUserJson(user, box, mayCarryTotp(req)));
  });
  router.post('/hooks/keycloak/users/:username', async (req, res) => {
    const { username } = validate(keycloakParams, req.params);
    const { password } = validate(keycloakPasswordRequest, req.body ?? {});
    // With `totps` delivered, Keycloak asks for the code itself; without them a password alone must not pass.
    const outcome = await hooks.check({ platform: 'keycloak', login: username, password, carriesSecondFactor: mayCarryTotp(req) });
    if (outcome.kind === 'verified') return void res.status(200).json({ verified: true });
    if (outcome.kind === 'unavailable') return void res.status(503).setHeader('Retry-After', '30').json({ error: 'legacy_unavailable', message: 'the legacy system cannot answer' });
    res.status(401).json({ error: 'invalid_credentials', message: 'invalid credentials' });
  });
  return router;
}
