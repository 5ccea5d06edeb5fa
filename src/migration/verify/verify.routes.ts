import { isIP } from 'node:net';
import { Router } from 'express';
import { z } from 'zod';
import type { ApiTokenService } from '../../tokens/api-token.service.ts';
import { requireRole } from '../../http/authenticate.ts';
import { validate } from '../../http/validate.ts';
import type { VerifyService } from './verify.service.ts';
import { PLATFORMS } from '../../hooks/platforms.ts';

const MAX_PASSWORD_BYTES = 4096;

export const verifyBody = z.object({
  login: z.string().trim().min(1, 'is required').max(320, 'must be at most 320 characters'),
  password: z.string().min(1, 'is required').refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, `must be at most ${MAX_PASSWORD_BYTES} bytes`),
  totp: z.string().trim().regex(/^\d{6}$/, 'must be the 6 digits the authenticator app shows').optional(),
  recovery_code: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
  ip: z.string().refine((ip) => isIP(ip) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  /** The target platform calling (Auth0's login script sends "auth0"): recorded, and it owns the password on success. */
  platform: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(', ')}` }).optional(),
});

export function verifyRoutes(verify: VerifyService, tokens: ApiTokenService): Router {
  const router = Router();
  router.post('/api/v1/verify', requireRole(tokens, 'verifier'), async (req, res) => {
    const body = validate(verifyBody, req.body ?? {});
    // Auth0 imports the authenticator app as `mfa_factors` and asks for the code itself (issue 12).
    res.json(await verify.verify({ ...body, ...(body.platform === 'auth0' && !body.totp && !body.recovery_code ? { carriesSecondFactor: true } : {}) }));
  });
  return router;
}
