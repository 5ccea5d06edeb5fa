import type { Request, Response } from 'express';
import type { FormTokens } from '../http/csrf.ts';
import type { CookieSecurity } from '../http/cookies.ts';
import type { StaffSessionStore } from '../http/staff-session-store.ts';
import type { Views } from './views.ts';

/** What every console route shares: the views, the session store and the cookie settings. */
export interface ConsoleContext {
  views: Views;
  sessions: StaffSessionStore;
  formTokens: FormTokens;
  cookies: CookieSecurity;
}

/**
 * Renders a console page with what the layout needs: the signed-in staff member, the session's CSRF token for
 * forms and scripts, and the flash message left by the last redirect (shown once).
 */
export async function renderPage(ctx: ConsoleContext, req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): Promise<void> {
  const signedIn = req.staffSession;
  const flash = signedIn ? await ctx.sessions.takeFlash(signedIn.session) : undefined;
  res.status(status).type('html').send(ctx.views.render(view, { ...layoutData(req), flash, ...data }));
}

/** The layout's share of the context; also used by the error page, which must not consume the flash. */
export function layoutData(req: Request): Record<string, unknown> {
  const signedIn = req.staffSession;
  if (!signedIn) return {};
  const { principal, session } = signedIn;
  const role = principal.role;
  return {
    staff: {
      email: principal.name, role, isAdmin: role === 'admin', id: principal.staffId,
      // what the nav offers; the routes check again (test/role-matrix.test.ts)
      seesCampaigns: role === 'admin' || role === 'comms', seesSupport: role === 'admin' || role === 'support',
    },
    csrf: session.csrf,
  };
}

/** Leaves a message for the next page, then redirects (post/redirect/get). */
export async function redirectWithFlash(ctx: ConsoleContext, req: Request, res: Response, to: string, message: string, link?: string): Promise<void> {
  if (req.staffSession) await ctx.sessions.setFlash(req.staffSession.session, { message, ...(link ? { link } : {}) });
  res.redirect(303, to);
}
