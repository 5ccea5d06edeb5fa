import { Router } from 'express';
import type { Db } from '../storage/db.ts';
import { listAuditEntries } from '../audit/audit-log.service.ts';
import { auditQuery } from '../audit/audit.schemas.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';

/** /console/audit (admin): the audit log, filtered by actor, action, target and dates, 50 entries a page. */
export function auditPages(ctx: ConsoleContext, db: Db, retentionDays: number): Router {
  const router = Router();
  router.get('/console/audit', ...requireStaff('admin'), async (req, res) => {
    const parsed = auditQuery.safeParse(req.query);
    const raw = req.query as Record<string, string | undefined>;
    const filters = { actor: raw.actor ?? '', action: raw.action ?? '', target: raw.target ?? '', from: raw.from ?? '', to: raw.to ?? '' };
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'from'), issue.message]));
      return renderPage(ctx, req, res, 'audit', { title: 'Audit log', nav: 'audit', filters, errors, entries: [], retentionDays }, 400);
    }
    const page = await listAuditEntries(db, parsed.data);
    const next = page.next_before === null ? null : `/console/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), before: String(page.next_before) })}`;
    await renderPage(ctx, req, res, 'audit', {
      title: 'Audit log', nav: 'audit', filters, errors: {}, retentionDays, next, paged: Boolean(parsed.data.before),
      entries: page.entries.map((e) => ({ ...e, userId: e.target?.startsWith('user:') ? e.target.slice(5) : null, detailsText: Object.keys(e.details ?? {}).length ? JSON.stringify(e.details) : '' })),
    });
  });
  return router;
}
