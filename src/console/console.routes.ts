import express, { Router } from 'express';
import type { Container } from '../container.ts';
import { FormTokens } from '../http/csrf.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { StaticAssets } from '../http/static-assets.ts';
import { consoleErrorPage, consoleNotFound } from './console-error-page.ts';
import type { ConsoleContext } from './console-context.ts';
import { campaignPages } from './campaign-pages.routes.ts';
import { importPages } from './import-pages.routes.ts';
import { loginRoutes } from './login.routes.ts';
import { setupRoutes } from './setup.routes.ts';
import { staffPages } from './staff-pages.routes.ts';
import { Views } from './views.ts';
import { wavePages } from './wave-pages.routes.ts';
import { supportPages } from './support-pages.routes.ts';
import { auditPages } from './audit-pages.routes.ts';
import { recentContacts } from '../support/recent-contacts.ts';
import { loadFeedbackSummary } from '../feedback/feedback-summary.ts';
import { funnelPages } from './funnel-pages.routes.ts';
import { progressPages } from './progress-pages.routes.ts';

/** Forms carry a few short fields; anything bigger is a mistake or an attack (413 page). */
const FORM_LIMIT = '16kb';

/** The staff console under /console (support pages under /support) and its assets under /assets, with their own HTML error pages. */
export function consoleRoutes(container: Container): Router {
  const { config } = container;
  const https = config.BASE_URL.startsWith('https:');
  const assets = new StaticAssets();
  const views = new Views({ orgName: config.ORG_NAME, assetUrl: (name) => assets.url(name), reload: config.NODE_ENV === 'development' });
  const ctx: ConsoleContext = {
    views, sessions: container.staff.sessions, cookies: { secure: https }, formTokens: new FormTokens(config.CUTOVER_SECRET, { secure: https }),
  };

  const campaigns = {
    campaigns: container.campaigns, waves: container.waves, onChange: () => container.onCampaignChange?.(),
    recentContacts: (campaignId: string, waveId?: string) => recentContacts(container.db, campaignId, waveId),
    feedback: (campaignId: string) => loadFeedbackSummary(container.db, campaignId),
  };

  const router = Router();
  router.use('/assets', securityHeaders({ https }));
  router.use(assets.router());
  router.use(['/console', '/support'], securityHeaders({ https }), express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 50 }));
  router.get('/console', (req, res) => {
    res.redirect(303, !req.staffSession ? '/console/login' : req.staffSession.principal.role === 'support' ? '/support' : '/console/campaigns');
  });
  router.use(
    loginRoutes(ctx, container.staff.login),
    setupRoutes(ctx, container.staff.setup),
    staffPages(ctx, container.staff.accounts),
    importPages(ctx, container.imports, { legacyConfigured: container.legacy !== null }),
    campaignPages(ctx, campaigns),
    wavePages(ctx, campaigns),
    supportPages(ctx, container.support),
    auditPages(ctx, container.db, config.AUDIT_RETENTION_DAYS),
    funnelPages(ctx, container.db),
    progressPages(ctx, container.db),
  );
  router.use(['/console', '/support'], consoleNotFound);
  router.use(['/console', '/support'], consoleErrorPage(views, container.logger));
  return router;
}
