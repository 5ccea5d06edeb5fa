import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../http/app-error.ts';
import { validate } from '../http/validate.ts';
import { findHookUser } from './find-hook-user.ts';

import { hookLogin, hookPassword } from './hook-schemas.ts';
import type { HookDeps } from './hook-deps.ts';
import { recordHandOff } from './record-hand-off.ts';

/*
 * AWS Cognito migrate user Lambda trigger (awsdocs/amazon-cognito-developer-guide, user-pool-lambda-migrate-user):
 * the event carries `triggerSource` ("UserMigration_Authentication" or "UserMigration_ForgotPassword"),
 * `userName` and `request.password` (not on forgot-password); the Lambda answers the event with
 * `response.userAttributes`, `finalUserStatus` and `messageAction`, or fails. contrib/cognito/user-migration.mjs
 * forwards the event here and throws on any answer other than 200.
 */
const common = { version: z.string().optional(), region: z.string().optional(), userPoolId: z.string().optional(), userName: hookLogin, callerContext: z.record(z.string(), z.unknown()).optional() };
const stringMap = z.record(z.string(), z.string()).nullish();
export const cognitoRequest = z.discriminatedUnion('triggerSource', [
  z.object({ ...common, triggerSource: z.literal('UserMigration_Authentication'), request: z.object({ password: hookPassword, validationData: stringMap, clientMetadata: stringMap }).passthrough(), response: z.record(z.string(), z.unknown()).optional() }).passthrough(),
  z.object({ ...common, triggerSource: z.literal('UserMigration_ForgotPassword'), request: z.object({ validationData: stringMap, clientMetadata: stringMap }).passthrough().optional(), response: z.record(z.string(), z.unknown()).optional() }).passthrough(),
], { error: 'must be "UserMigration_Authentication" or "UserMigration_ForgotPassword"' });
export const cognitoResponse = z.object({
  userAttributes: z.record(z.string(), z.string()),
  finalUserStatus: z.enum(['CONFIRMED', 'RESET_REQUIRED']),
  messageAction: z.literal('SUPPRESS'),
}).passthrough();

interface Profile { legacy_id: string; email: string | null; email_verified: boolean | null; name: string | null; given_name: string | null; family_name: string | null }

/** Cognito's standard attributes (OIDC claim names) and, where configured, the legacy id. */
function userAttributes(user: Profile, legacyIdAttribute: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (user.email) {
    out.email = user.email;
    // The contract: "true", so Cognito lets the user reset by mail; only an export that says false says otherwise.
    out.email_verified = user.email_verified === false ? 'false' : 'true';
  }
  for (const key of ['name', 'given_name', 'family_name'] as const) if (user[key]) out[key] = user[key]!;
  if (legacyIdAttribute) out[legacyIdAttribute] = user.legacy_id;
  return out;
}

/** Cognito shows the Lambda's error to the user ("UserMigration failed with error …"): one message for every refusal. */
class CognitoRefusal extends AppError {
  constructor() {
    super('invalid_credentials', 'Incorrect username or password.', 401);
  }
}

export function cognitoHook({ hooks, db, config }: HookDeps): Router {
  const router = Router();
  router.post('/hooks/cognito/user-migration', async (req, res) => {
    const event = validate(cognitoRequest, req.body ?? {});
    if (event.triggerSource === 'UserMigration_ForgotPassword') {
      const user = await findHookUser(db, event.userName);
      if (!user || user.state === 'disabled' || !user.email) throw new CognitoRefusal();
      await recordHandOff(db, user.id, 'cognito');
      return void res.json({ ...event, response: { userAttributes: userAttributes(user, config.COGNITO_LEGACY_ID_ATTRIBUTE), finalUserStatus: 'RESET_REQUIRED', messageAction: 'SUPPRESS' } });
    }
    const outcome = await hooks.check({ platform: 'cognito', login: event.userName, password: event.request.password });
    if (outcome.kind === 'unavailable') throw new AppError('legacy_unavailable', 'The sign-in service is busy. Try again in a minute.', 503, { expose: true, headers: { 'Retry-After': '30' } });
    const user = outcome.kind === 'verified' ? outcome.result.user : null;
    if (!user || !('state' in user)) throw new CognitoRefusal();
    // The event goes back without the password: the forwarder returns its own copy of the event to Cognito.
    res.json({ ...event, request: { ...event.request, password: undefined }, response: { userAttributes: userAttributes(user, config.COGNITO_LEGACY_ID_ATTRIBUTE), finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } });
  });
  return router;
}
