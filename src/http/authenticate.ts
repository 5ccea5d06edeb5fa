import type { Request, RequestHandler } from 'express';
import type { ApiTokenService } from '../tokens/api-token.service.ts';
import { ForbiddenError, UnauthorizedError } from './app-error.ts';
import type { Principal, Role } from './roles.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Bearer-token guard: 401 for a missing or unknown token, 403 for a token whose role is not listed. */
export function requireRole(tokens: ApiTokenService, ...roles: Role[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await tokens.authenticate(match[1]!) : null;
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
