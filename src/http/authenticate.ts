import type { Request, RequestHandler } from 'express';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { ForbiddenError, UnauthorizedError } from './app-error.ts';
import { CsrfError, SAFE_METHODS, csrfMatches, presentedCsrfToken } from './csrf.ts';
import type { Principal, Role } from './roles.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Bearer-token guard: 401 for a missing or unknown token, 403 for a token whose role is not listed. A request
 * with no Authorization header may instead ride a staff session (the console's scripts); an unsafe method then
 * needs the session's CSRF token too, since the browser sends the cookie whoever made the request.
 */
export function requireRole(tokens: ApiTokenService, ...roles: Role[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    let principal: Principal | null;
    if (header === undefined && req.staffSession) {
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(req.staffSession.session.csrf, presentedCsrfToken(req))) throw new CsrfError();
      principal = req.staffSession.principal;
    } else {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      principal = match ? await tokens.authenticate(match[1]!) : null;
    }
    if (!principal) throw new UnauthorizedError();
    if (principal.role !== 'admin' && !roles.includes(principal.role)) throw new ForbiddenError();
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}
