import { isIP } from 'node:net';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { validate } from '../http/validate.ts';
import type { HookProblem } from './hook-problem.ts';
import { hookLogin, hookPassword } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';

/*
 * Okta password import inline hook (okta-developer-docs, reference/password-hook and the management API's
 * createPasswordImportInlineHook): the login is `data.context.credential.username`. The older reference page shows
 * `data.credential`; the current one and the SDKs' PasswordImportRequestDataContext put it under `context`, so
 * cutover reads `context` and takes the older place too.
 */
const credential = z.object({ username: hookLogin, password: hookPassword });
export const oktaRequest = z.object({
  eventType: z.literal('com.okta.user.credential.password.import', { error: 'must be "com.okta.user.credential.password.import"' }),
  data: z.object({
    context: z.object({
      request: z.object({ ipAddress: z.string().optional() }).passthrough().optional(),
      credential: credential.optional(),
    }).passthrough(),
    credential: credential.optional(),
  }).passthrough().refine((d) => d.context.credential ?? d.credential, { message: 'is required', path: ['context', 'credential'] }),
}).passthrough();

/** Always a command, never a 204: "UNVERIFIED" is the refusal (a 204 only means Okta's default, which is reject). */
export const oktaResponse = z.object({
  commands: z.array(z.object({ type: z.literal('com.okta.action.update'), value: z.object({ credential: z.enum(['VERIFIED', 'UNVERIFIED']) }) })).length(1),
});

const command = (verified: boolean): z.infer<typeof oktaResponse> => ({ commands: [{ type: 'com.okta.action.update', value: { credential: verified ? 'VERIFIED' : 'UNVERIFIED' } }] });

export function oktaHook({ hooks }: HookDeps): Router {
  const router = Router();
  router.post('/hooks/okta/password-import', async (req, res) => {
    const body = validate(oktaRequest, req.body ?? {});
    const { username, password } = (body.data.context.credential ?? body.data.credential)!;
    const ip = body.data.context.request?.ipAddress;
    const outcome = await hooks.check({ platform: 'okta', login: username, password, ...(ip && isIP(ip) ? { ip } : {}) });
    res.json(command(outcome.kind === 'verified'));
  });
  return router;
}

/** Okta's own error object (inline hooks "error"): `errorSummary`, with `errorCauses` naming each field. */
export function renderOktaProblem(problem: HookProblem, res: Response): void {
  res.status(problem.status).json({
    error: {
      errorSummary: problem.message,
      ...(problem.fields ? { errorCauses: problem.fields.map((f) => ({ errorSummary: `${f.field} ${f.reason}`, reason: problem.code, locationType: 'body', location: f.field })) } : {}),
    },
  });
}
