import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../http/app-error.ts';
import type { Role } from '../http/roles.ts';
import type { ApiTokenService } from '../tokens/api-token.service.ts';

/**
 * A hook is a password oracle for whoever holds its token, so it takes a Bearer API token only: never a staff
 * session cookie (a browser would send it for any page that posts here). `roles` lists who may call; admin is
 * allowed unless `exclusive` (the Keycloak lookup hands out TOTP secrets, so only a verifier token gets it).
 */
export function requireHookToken(tokens: ApiTokenService, roles: Role[], { exclusive = false } = {}): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const principal = match ? await tokens.authenticate(match[1]!) : null;
    if (!principal) throw new UnauthorizedError();
    if (!roles.includes(principal.role) && (exclusive || principal.role !== 'admin')) throw new ForbiddenError();
    req.principal = principal;
    next();
  };
}
