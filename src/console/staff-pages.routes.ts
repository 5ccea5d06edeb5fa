import { Router, type Request, type Response } from 'express';
import { principalOf } from '../http/authenticate.ts';
import type { StaffService } from '../staff/staff.service.ts';
import { createStaffBody } from '../staff/staff.routes.ts';
import { STAFF_ROLES } from '../staff/staff-types.ts';
import { redirectWithFlash, renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';

/** /console/staff (admins): who can use the console, adding someone (a setup link goes out), disabling them. */
export function staffPages(ctx: ConsoleContext, staff: StaffService): Router {
  const router = Router();
  const admin = requireStaff('admin');

  const show = async (req: Request, res: Response, form: { email?: string; role?: string; errors?: Record<string, string> } = {}, status = 200) => {
    const me = req.staffSession!.principal.staffId;
    const members = (await staff.list()).map((member) => ({ ...member, isSelf: member.id === me }));
    await renderPage(ctx, req, res, 'staff', {
      title: 'Staff', nav: 'staff', members,
      roles: STAFF_ROLES.map((role) => ({ role, selected: role === (form.role ?? 'comms') })),
      email: form.email, errors: form.errors ?? {},
    }, status);
  };

  router.get('/console/staff', ...admin, async (req, res) => {
    await show(req, res);
  });

  router.post('/console/staff', ...admin, async (req, res) => {
    const body = createStaffBody.safeParse(req.body ?? {});
    if (!body.success) {
      const errors = Object.fromEntries(body.error.issues.map((issue) => [String(issue.path[0] ?? 'email'), issue.message]));
      return show(req, res, { email: String(req.body?.email ?? ''), role: String(req.body?.role ?? ''), errors }, 400);
    }
    const created = await staff.create(body.data, principalOf(req), req.ip);
    const message = created.mailed
      ? `Added ${created.email} as ${created.role}. Their setup link is on its way by mail; it works once, for 72 hours.`
      : `Added ${created.email} as ${created.role}. Send them this setup link yourself; it works once, for 72 hours:`;
    await redirectWithFlash(ctx, req, res, '/console/staff', message, created.setup_url);
  });

  router.post('/console/staff/:id/disable', ...admin, async (req, res) => {
    const disabled = await staff.disable(String(req.params.id), principalOf(req), req.ip);
    await redirectWithFlash(ctx, req, res, '/console/staff', `${disabled.email} is disabled and can no longer sign in.`);
  });

  return router;
}
