import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { principalOf } from '../http/authenticate.ts';
import { AppError } from '../http/app-error.ts';
import type { SupportService, ActionContext } from '../support/support.service.ts';
import { CONTACT_CHANNELS, MAX_EXTEND_HOURS, clearLockoutSchema, liftSuppressionSchema, contactSchema, extendSchema, resendSchema, resetSchema } from '../support/support.schemas.ts';
import { redirectWithFlash, renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';

type Action = 'resend' | 'extend' | 'contact' | 'lockout' | 'reset' | 'suppression';
interface FormState { action?: Action; errors?: Record<string, string>; values?: Record<string, unknown>; alert?: string }

const STAGES = ['sent', 'clicked', 'started', 'enrolled', 'verified'] as const;

/** Errors and what was typed, under the action's name, so that only that form shows them. */
function formData(form: FormState) {
  return form.action ? { errors: { [form.action]: form.errors ?? {} }, values: { [form.action]: form.values ?? {} } } : { errors: {}, values: {} };
}

/**
 * /support (support, admin): search, a user's whole story, and the actions, each with a reason. A refused action
 * (bad field, limit reached, wrong state) shows the user page again with the reason beside the form.
 */
export function supportPages(ctx: ConsoleContext, support: SupportService): Router {
  const router = Router();
  const agent = requireStaff('support');
  const userPath = (id: string) => `/support/users/${id}`;

  const showUser = async (req: Request, res: Response, form: FormState = {}, status = 200) => {
    const story = await support.story(String(req.params.id));
    const u = story.user;
    await renderPage(ctx, req, res, 'support-user', {
      title: u.email ?? u.legacy_id, nav: 'support', ...story,
      live: story.invitations.find((i) => ['queued', 'sending', 'sent'].includes(i.state)),
      invitations: story.invitations.map((i) => ({
        ...i, stages: STAGES.map((stage) => ({ stage, at: i[`${stage}_at`] })),
        outcomes: [['reminders', i.reminders_sent || null], ['bounced', i.bounced_at], ['marked as spam', i.complained_at], ['failed', i.failed_at], ['expired', i.expired_at], ['cancelled', i.cancelled_at], ['revoked', i.revoked_at]]
          .filter(([, v]) => v).map(([name, at]) => ({ name, at: name === 'reminders' ? null : at, count: name === 'reminders' ? at : null })),
      })),
      locked: story.lockouts.some((l) => l.retryAfter > 0),
      capReached: story.support_invitations_today >= story.support_invitations_per_day,
      channels: CONTACT_CHANNELS, maxExtendHours: MAX_EXTEND_HOURS,
      form: formData(form), alert: form.alert,
    }, status);
  };

  const showReset = async (req: Request, res: Response, form: FormState = {}, status = 200) => {
    const story = await support.story(String(req.params.id));
    await renderPage(ctx, req, res, 'support-reset', {
      title: 'Reset enrolment', nav: 'support', ...story,
      live: story.credentials.filter((c) => !c.revoked_at && c.type !== 'legacy password'),
      form: formData(form), alert: form.alert,
    }, status);
  };

  /** Validates the form; a bad field or a refused action re-renders the page (400, 409, 429). */
  const act = <S extends z.ZodType>(action: Action, schema: S, run: (id: string, body: z.infer<S>, c: ActionContext) => Promise<string>) =>
    async (req: Request, res: Response) => {
      const parsed = schema.safeParse(req.body ?? {});
      const values = req.body ?? {};
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'reason'), issue.message]));
        return (action === 'reset' ? showReset : showUser)(req, res, { action, errors, values }, 400);
      }
      const id = String(req.params.id);
      const body = parsed.data as z.infer<S> & { reason: string };
      try {
        const message = await run(id, body, { actor: principalOf(req), reason: body.reason, ip: req.ip });
        await redirectWithFlash(ctx, req, res, userPath(id), message);
      } catch (error) {
        if (!(error instanceof AppError) || !error.expose || error.status === 404) throw error;
        return (action === 'reset' ? showReset : showUser)(req, res, { action, values, alert: error.message }, error.status);
      }
    };

  router.get('/support', ...agent, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 320) : '';
    const started = process.hrtime.bigint();
    const users = q ? await support.search(q) : [];
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await renderPage(ctx, req, res, 'support-search', { title: 'Support', nav: 'support', q, users, searched: q !== '', ms: ms.toFixed(0) });
  });

  router.get('/support/users/:id', ...agent, async (req, res) => {
    await showUser(req, res);
  });

  router.post('/support/users/:id/resend-invitation', ...agent, act('resend', resendSchema, async (id, body, c) => {
    await support.resendInvitation(id, body, c);
    return 'A new invitation is on its way. The old link no longer works.';
  }));

  router.post('/support/users/:id/extend-link', ...agent, act('extend', extendSchema, async (id, body, c) => {
    const extended = await support.extendLink(id, body.hours, c);
    return `The link now works until ${new Date(extended.expires_at).toUTCString()}.`;
  }));

  router.post('/support/users/:id/contacts', ...agent, act('contact', contactSchema, async (id, body, c) => {
    await support.recordContact(id, body, c);
    return 'Contact recorded. It counts toward the campaign’s help-desk load.';
  }));

  router.post('/support/users/:id/clear-lockout', ...agent, act('lockout', clearLockoutSchema, async (id, _body, c) => {
    const { cleared } = await support.clearLockout(id, c);
    return cleared.length ? `Lockout cleared (${cleared.join(', ')}). The user can try again now.` : 'No lockout was active; failure counts are reset.';
  }));

  router.post('/support/users/:id/lift-suppression', ...agent, act('suppression', liftSuppressionSchema, async (id, _body, c) => {
    const lifted = await support.liftSuppression(id, c);
    return `Suppression lifted (it was for a ${lifted.suppressed_for === 'complained' ? 'spam complaint' : 'bounce'} reported by ${lifted.provider}). Mail may go to the address again.`;
  }));

  // Reset takes two steps: this page says what will be revoked and asks for the reason; only its form carries
  // confirm=reset, so the action cannot be sent from the user page by a slip.
  router.get('/support/users/:id/reset-enrolment', ...agent, async (req, res) => {
    await showReset(req, res);
  });

  router.post('/support/users/:id/reset-enrolment', ...agent, async (req, res, next) => {
    if (req.body?.confirm !== 'reset') return res.redirect(303, `${userPath(String(req.params.id))}/reset-enrolment`);
    return act('reset', resetSchema, async (id, body, c) => {
      const reset = await support.resetEnrolment(id, body, c);
      const r = reset.revoked;
      return `Enrolment reset: ${r.passkeys} passkey(s), ${r.totp} authenticator app(s) and ${r.recovery_codes} recovery code(s) revoked${r.password ? ', enrolment password removed' : ''}. A new invitation is on its way.`;
    })(req, res).catch(next);
  });

  return router;
}
