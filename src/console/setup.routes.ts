import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { InvalidRequestError } from '../http/app-error.ts';
import type { StaffSetupService } from '../staff/staff-setup.service.ts';
import { STAFF_PASSWORD_MIN } from '../staff/check-staff-password.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';

const setupForm = z.object({
  password: z.string().max(1024).default(''),
  confirm: z.string().max(1024).default(''),
  code: z.string().max(20).default(''),
});

/** The base32 secret in groups of four, as authenticator apps show it for typing. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

/** /console/setup/:token: the one-time link from the setup mail. Password and authenticator in one form. */
export function setupRoutes(ctx: ConsoleContext, setup: StaffSetupService): Router {
  const router = Router();

  const show = async (req: Request, res: Response, errors: Record<string, string> = {}, status = 200) => {
    const page = await setup.open(String(req.params.token));
    await renderPage(ctx, req, res, 'setup', {
      title: 'Set up your account', email: page.email, role: page.role, qrSvg: page.qrSvg, secret: grouped(page.secret),
      expiresAt: page.expiresAt.toISOString(), minLength: STAFF_PASSWORD_MIN, errors, hasErrors: Object.keys(errors).length > 0,
      action: req.originalUrl.split('?')[0], formToken: ctx.formTokens.issue(req, res),
    }, status);
  };

  router.get('/console/setup/:token', async (req, res) => {
    await show(req, res);
  });

  router.post('/console/setup/:token', ctx.formTokens.check, async (req, res) => {
    const parsed = setupForm.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', confirm: '', code: '' };
    try {
      await setup.complete(String(req.params.token), form, req.ip);
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      const errors = Object.fromEntries((error.options.fields ?? []).map((f) => [f.field, f.reason]));
      return show(req, res, errors, 400);
    }
    res.redirect(303, '/console/login?notice=setup');
  });

  return router;
}
