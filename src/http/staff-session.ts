import type { RequestHandler, Response } from 'express';
import type { Principal, Role } from './roles.ts';
import { clearCookie, readCookie, setCookie, type CookieSecurity } from './cookies.ts';
import type { StaffSession, StaffSessionStore } from './staff-session-store.ts';

export const STAFF_COOKIE = 'cutover_staff';

export interface SignedInStaff {
  session: StaffSession;
  principal: Principal & { staffId: string };
}

declare module 'express-serve-static-core' {
  interface Request {
    staffSession?: SignedInStaff;
  }
}

/** Looks a staff member up by id: null once the account is disabled or gone. */
export type StaffLookup = (staffId: string) => Promise<{ id: string; email: string; role: Role } | null>;

/**
 * Attaches the signed-in staff member when the request carries a live `cutover_staff` cookie. API clients send no
 * cookie and pay nothing. The account is re-read each time, so disabling it or changing its role applies at once.
 */
export function attachStaffSession(store: StaffSessionStore, lookup: StaffLookup): RequestHandler {
  return async (req, _res, next) => {
    const id = readCookie(req, STAFF_COOKIE);
    const session = id ? await store.load(id) : null;
    const staff = session ? await lookup(session.staffId) : null;
    if (session && staff) {
      req.staffSession = { session, principal: { tokenId: null, name: staff.email, role: staff.role, staffId: staff.id } };
    } else if (session) {
      await store.destroy(session.id);
    }
    next();
  };
}

export function setStaffCookie(res: Response, session: StaffSession, security: CookieSecurity): void {
  setCookie(res, STAFF_COOKIE, session.id, security);
}

export function clearStaffCookie(res: Response, security: CookieSecurity): void {
  clearCookie(res, STAFF_COOKIE, security);
}
