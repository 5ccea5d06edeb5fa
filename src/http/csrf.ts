import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { deriveKey } from '../identity/secret-box.ts';
import { AppError } from './app-error.ts';
import { clearCookie, readCookie, setCookie, type CookieSecurity } from './cookies.ts';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_COOKIE = 'cutover_form';

export class CsrfError extends AppError {
  constructor() {
    super('csrf_failed', 'This form has expired, go back and try again', 403);
  }
}

/** The token a request presents: the `x-csrf-token` header (scripts) or the `_csrf` form field. */
export function presentedCsrfToken(req: Request): string | undefined {
  const header = req.get('x-csrf-token');
  if (header) return header;
  const body: unknown = req.body;
  const field = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  return typeof field === 'string' ? field : undefined;
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Synchronizer-token check for unsafe requests made with a staff session (OWASP CSRF cheat sheet). */
export const requireSessionCsrf: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const session = req.staffSession?.session;
  if (!session || !csrfMatches(session.csrf, presentedCsrfToken(req))) throw new CsrfError();
  next();
};

/**
 * CSRF tokens for forms shown before there is a session (login, setup): a signed double-submit cookie. The
 * cookie holds a random value and the form an HMAC of it under a key from CUTOVER_SECRET, so a cookie planted
 * from a sibling domain cannot be paired with a token the attacker made up.
 */
export class FormTokens {
  private readonly key: Buffer;

  private readonly path: string;

  private readonly name: string;

  /** @param cookie `path` scopes the cookie to the pages that use it (default /console), `name` names it. */
  constructor(secret: string, private readonly cookie: CookieSecurity & { path?: string; name?: string }) {
    this.key = deriveKey(secret, 'cutover csrf v1');
    this.path = cookie.path ?? '/console';
    this.name = cookie.name ?? FORM_COOKIE;
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }

  /** The token for a form on this response; the cookie is reused while it lasts, so several tabs can be open. */
  issue(req: Request, res: Response): string {
    let value = readCookie(req, this.name);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      setCookie(res, this.name, value, { secure: this.cookie.secure, path: this.path });
    }
    return this.sign(value);
  }

  readonly check: RequestHandler = (req, _res, next) => {
    const value = readCookie(req, this.name);
    if (!value || !csrfMatches(this.sign(value), presentedCsrfToken(req))) throw new CsrfError();
    next();
  };

  /** After sign-in the session's own token takes over. */
  forget(res: Response): void {
    clearCookie(res, this.name, { secure: this.cookie.secure, path: this.path });
  }
}
