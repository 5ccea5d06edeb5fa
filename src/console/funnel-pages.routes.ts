import { Router, type Request, type Response } from 'express';
import type { FunnelReport } from '../funnel/funnel-report.ts';
import { loadFunnel, type FunnelScope } from '../funnel/load-funnel.ts';
import type { Queryable } from '../storage/db.ts';
import { renderPage, type ConsoleContext } from './console-context.ts';
import { requireStaff } from './require-staff.ts';
import { funnelChart, horizontalBars, NARROW, shareLine } from './svg-charts.ts';

const bars = (entries: Record<string, number>) => Object.entries(entries).map(([label, value]) => ({ label, value }));

/** What the funnel body needs: the report, its charts drawn on the server, and the method rows. */
export function funnelBodyData(report: FunnelReport): Record<string, unknown> {
  return {
    report,
    anyEnrolled: report.stages.some((s) => s.stage === 'enrolled' && s.users > 0),
    methodRows: Object.entries(report.by_method).map(([method, counts]) => ({ method, ...counts })),
    charts: {
      funnel: funnelChart(report.stages),
      overTime: shareLine('Enrolled so far ÷ sent so far, by day', report.over_time.map((d) => ({ date: d.date, share: d.conversion }))),
      methods: horizontalBars('Enrolled users by method', bars(report.methods), undefined, NARROW),
      platforms: horizontalBars('Enrolled users by platform', bars(report.by_platform), undefined, NARROW),
      mails: horizontalBars('Enrolled users by the mail they came from', bars(report.by_mail), undefined, NARROW),
    },
  };
}

/**
 * /console/campaigns/:id/funnel and /console/waves/:id/funnel (admin, comms, support), and their …/live
 * sections, which public/live-refresh.js fetches to refresh the figures and charts in place.
 */
export function funnelPages(ctx: ConsoleContext, db: Queryable): Router {
  const router = Router();
  const look = requireStaff('comms', 'support');

  const page = async (req: Request, res: Response, scope: FunnelScope, base: string, api: string) => {
    const report = await loadFunnel(db, scope);
    await renderPage(ctx, req, res, 'funnel', {
      title: `Funnel: ${report.scope.wave_name ?? report.scope.campaign_name}`, nav: 'campaigns', ...funnelBodyData(report),
      csvUrl: `${api}?format=csv`, liveUrl: `${base}/live`, scripts: ['live-refresh.js'],
    });
  };
  const live = async (res: Response, scope: FunnelScope) => {
    res.type('html').send(ctx.views.render('partials/funnel-body', funnelBodyData(await loadFunnel(db, scope)), 'fragment'));
  };

  router.get('/console/campaigns/:id/funnel', ...look, (req, res) => {
    const id = String(req.params.id);
    return page(req, res, { campaignId: id }, `/console/campaigns/${id}/funnel`, `/api/v1/campaigns/${id}/funnel`);
  });
  router.get('/console/campaigns/:id/funnel/live', ...look, (req, res) => live(res, { campaignId: String(req.params.id) }));
  router.get('/console/waves/:id/funnel', ...look, (req, res) => {
    const id = String(req.params.id);
    return page(req, res, { waveId: id }, `/console/waves/${id}/funnel`, `/api/v1/waves/${id}/funnel`);
  });
  router.get('/console/waves/:id/funnel/live', ...look, (req, res) => live(res, { waveId: String(req.params.id) }));
  return router;
}
