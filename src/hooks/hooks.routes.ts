import express, { Router, type Response } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { auth0Hook } from './auth0.hook.ts';
import { cognitoHook } from './cognito.hook.ts';
import { fusionAuthHook, renderFusionAuthProblem } from './fusionauth.hook.ts';
import { hookErrorHandler, renderPlainProblem, type HookProblem } from './hook-problem.ts';
import type { HookDeps } from './hook-deps.ts';
import { keycloakHook } from './keycloak.hook.ts';
import { kratosHook, renderKratosProblem } from './kratos.hook.ts';
import { oktaHook, renderOktaProblem } from './okta.hook.ts';
import { requireHookToken } from './require-hook-token.ts';

/** Hook bodies are a login and a password in a small envelope (Okta's is the largest, about 1 KiB). */
export const HOOK_BODY_LIMIT = '16kb';

/**
 * The platform hooks under /hooks/<platform>/: each with its own Bearer check, JSON parser and error shape, so
 * that a 401, a 400 or a 413 reads sensibly in that platform's log.
 */
export function hooksRoutes(deps: HookDeps, tokens: ApiTokenService, logger: Logger): Router {
  const router = Router();
  const json = express.json({ limit: HOOK_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });
  const mount = (base: string, adapter: Router, render: (problem: HookProblem, res: Response) => void, exclusiveGet = false) => {
    const platform = Router();
    const guardGet = requireHookToken(tokens, ['verifier'], { exclusive: exclusiveGet });
    const guardPost = requireHookToken(tokens, ['verifier']);
    platform.use(base, (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? guardGet : guardPost)(req, res, next));
    platform.use(base, json);
    platform.use(adapter);
    platform.use(base, hookErrorHandler(logger, render));
    router.use(platform);
  };
  mount('/hooks/okta', oktaHook(deps), renderOktaProblem);
  mount('/hooks/kratos', kratosHook(deps), renderKratosProblem);
  // Keycloak reads only the status, and our Cognito forwarder only `message`: cutover's own shape for both.
  mount('/hooks/keycloak', keycloakHook(deps), renderPlainProblem, true);
  mount('/hooks/fusionauth', fusionAuthHook(deps), renderFusionAuthProblem);
  mount('/hooks/cognito', cognitoHook(deps), renderPlainProblem);
  mount('/hooks/auth0', auth0Hook(deps), renderPlainProblem, true);
  return router;
}
