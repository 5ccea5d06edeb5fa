import type { RequestHandler } from 'express';
import { AppError } from '../http/app-error.ts';
import { CsrfError, requireSessionCsrf } from '../http/csrf.ts';
import type { StaffRole } from '../staff/staff-types.ts';

/**
 * Guards a console page. Signed out: a GET goes to the login page and comes back after; any other method gets the
 * expired-form page (its session ended while the form was open). A role not listed gets a 403 page; admins may
 * open everything. Unsafe methods must carry the session's CSRF token.
 */
export function requireStaff(...roles: StaffRole[]): RequestHandler[] {
  const signedIn: RequestHandler = (req, res, next) => {
    const staff = req.staffSession;
    if (!staff) {
      if (req.method !== 'GET') throw new CsrfError();
      res.redirect(303, `/console/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    const role = staff.principal.role;
    if (role !== 'admin' && roles.length > 0 && !roles.includes(role as StaffRole)) {
      throw new AppError('forbidden', `Your role (${role}) cannot open this page. Ask an admin if you need it.`, 403);
    }
    req.principal = staff.principal;
    next();
  };
  return [signedIn, requireSessionCsrf];
}

/** A `next` target after login: only a console or support path on this site, never another origin. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(console|support)([/?][\w\-/?=&%.+@]*)?$/.test(value) && !value.startsWith('//') ? value : '/console';
}
