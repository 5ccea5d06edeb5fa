import { Router } from 'express';
import { z } from 'zod';
import { clearStaffCookie, setStaffCookie } from '../http/staff-session.ts';
import { LoginRefusedError, LoginThrottledError } from '../staff/staff-errors.ts';
import type { StaffLoginService } from '../staff/staff-login.service.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff, safeNext } from './require-staff.ts';

const loginForm = z.object({
  email: z.string().max(254).default(''),
  password: z.string().max(1024).default(''),
  code: z.string().max(20).default(''),
  next: z.string().max(500).optional(),
});

const NOTICES: Record<string, string> = {
  setup: 'Your account is ready. Sign in with your email, your new password and a code from your app.',
  signed_out: 'You have signed out.',
};

/** /console/login and /console/logout. A new session id on every sign-in, so a planted cookie never gets promoted. */
export function loginRoutes(ctx: ConsoleContext, login: StaffLoginService): Router {
  const router = Router();

  router.get('/console/login', async (req, res) => {
    if (req.staffSession) return res.redirect(303, safeNext(req.query.next));
    const notice = NOTICES[String(req.query.notice ?? '')];
    await renderPage(ctx, req, res, 'login', { title: 'Sign in', notice, next: safeNext(req.query.next), formToken: ctx.formTokens.issue(req, res) });
  });

  router.post('/console/login', ctx.formTokens.check, async (req, res) => {
    const form = loginForm.safeParse(req.body ?? {});
    const input = form.success ? form.data : { email: '', password: '', code: '', next: undefined };
    let staff;
    try {
      staff = await login.login(input, req.ip);
    } catch (error) {
      if (!(error instanceof LoginRefusedError || error instanceof LoginThrottledError)) throw error;
      if (error instanceof LoginThrottledError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      return renderPage(ctx, req, res, 'login', {
        title: 'Sign in', error: error.message, email: input.email, next: safeNext(input.next), formToken: ctx.formTokens.issue(req, res),
      }, error.status);
    }
    if (req.staffSession) await ctx.sessions.destroy(req.staffSession.session.id);
    const session = await ctx.sessions.create(staff.id);
    setStaffCookie(res, session, ctx.cookies);
    ctx.formTokens.forget(res);
    res.redirect(303, safeNext(input.next));
  });

  router.post('/console/logout', ...requireStaff(), async (req, res) => {
    const { session, principal } = req.staffSession!;
    await ctx.sessions.destroy(session.id);
    await login.loggedOut(principal, req.ip);
    clearStaffCookie(res, ctx.cookies);
    res.redirect(303, '/console/login?notice=signed_out');
  });

  return router;
}
