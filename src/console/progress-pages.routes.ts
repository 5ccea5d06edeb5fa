import { Router } from 'express';
import { loadProgress } from '../progress/load-progress.ts';
import { PATHS, USER_STATES, type ProgressReport } from '../progress/progress-report.ts';
import type { Queryable } from '../storage/db.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';
import { dailyBars, stackedBars } from './svg-charts.ts';

const PATH_LABEL = { bulk_hash: 'bulk_hash', jit: 'jit', reset: 'reset' } as const;

/** What the progress body needs: the report, rows for its tables and its charts drawn on the server. */
export function progressBodyData(report: ProgressReport): Record<string, unknown> {
  return {
    report,
    pathRows: PATHS.map((path) => ({ path, label: PATH_LABEL[path], ...report.users.by_path[path] })),
    charts: {
      users: stackedBars('Users by migration path and state', PATHS.map((path) => ({
        label: PATH_LABEL[path], segments: USER_STATES.map((state) => ({ label: state, key: state, value: report.users.by_path[path][state] })),
      }))),
      legacy: dailyBars('Verifications that asked the legacy system, a day', report.legacy_verifications.days.map((d) => ({ date: d.date, value: d.legacy_calls })), 'chart-bar-invitations', 'legacy calls'),
    },
    helpdesk: report.helpdesk.campaigns.map((c) => ({
      ...c,
      chart: dailyBars(`Help-desk contacts a day against capacity: ${c.name}`, c.days.map((d) => ({ date: d.date, value: d.contacts, line: d.capacity })), 'chart-bar-tickets', 'contacts'),
    })),
  };
}

/** /console/progress (admin, comms, support): the identity-debt view, refreshed in place from …/live. */
export function progressPages(ctx: ConsoleContext, db: Queryable): Router {
  const router = Router();
  const look = requireStaff('comms', 'support');
  router.get('/console/progress', ...look, async (req, res) => {
    await renderPage(ctx, req, res, 'progress', { title: 'Migration progress', nav: 'progress', ...progressBodyData(await loadProgress(db)), scripts: ['live-refresh.js'] });
  });
  router.get('/console/progress/live', ...look, async (_req, res) => {
    res.type('html').send(ctx.views.render('partials/progress-body', progressBodyData(await loadProgress(db)), 'fragment'));
  });
  return router;
}
