import express from 'express';
import type { Container } from './container.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health.routes.ts';
import { requestLog } from './http/request-log.ts';
import { tokenRoutes } from './tokens/token.routes.ts';
import { importRoutes } from './migration/import/import.routes.ts';
import { verifyRoutes } from './migration/verify/verify.routes.ts';
import { attachStaffSession } from './http/staff-session.ts';
import { staffRoutes } from './staff/staff.routes.ts';
import { consoleRoutes } from './console/console.routes.ts';
import { devOutboxRoutes } from './mail/dev-outbox.routes.ts';
import { campaignRoutes } from './campaigns/campaign.routes.ts';
import { endUserRoutes } from './enrolment/end-user.routes.ts';
import { supportRoutes } from './support/support.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { funnelRoutes } from './funnel/funnel.routes.ts';
import { progressRoutes } from './progress/progress.routes.ts';
import { metricsRoutes } from './observability/metrics.routes.ts';
import { hooksRoutes } from './hooks/hooks.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { feedbackRoutes } from './feedback/feedback.routes.ts';
import { exportRoutes } from './export/export.routes.ts';

/** The express app: JSON API routes behind one error boundary. Request bodies other than imports are small JSON. */
export function createApp(container: Container): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may say who the client is (default: one on this machine).
  app.set('trust proxy', container.config.TRUST_PROXY);
  app.use(requestLog(container.logger));
  // First after the log, so that a refusal's beat counts from its arrival: nothing later shows in its timing.
  app.use(['/api/v1/verify', '/signin'], container.refusals.handler());
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRoutes(container.db, container.redis, container.mail, { queues: container.queues }));
  app.use(metricsRoutes({ db: container.db, queues: container.queues, tokens: container.tokens, metrics: container.metrics, metricsToken: container.config.METRICS_TOKEN }));
  // A staff session cookie stands in for a bearer token (console scripts) and signs in the console pages.
  app.use(attachStaffSession(container.staff.sessions, (id) => container.staff.accounts.identity(id)));
  // Imports stream their own body; everything else is JSON of a few KiB.
  app.use(importRoutes(container.imports, container.tokens, {
    legacyConfigured: container.legacy !== null,
    maxBytes: container.config.IMPORT_MAX_MB * 1024 * 1024,
  }));
  // Signed webhooks are verified over their exact bytes: a raw body, with its own limit, before any JSON parser.
  app.use(['/hooks/helpdesk', '/hooks/mail'], express.raw({ type: () => true, limit: container.config.HOOKS_MAX_KB * 1024 }));
  app.use(feedbackRoutes({ db: container.db, logger: container.logger, config: container.config, snsHttpGet: container.snsHttpGet }));
  // Target platforms' hooks: their own Bearer check, 16 KiB JSON parser and error shapes.
  app.use(hooksRoutes({ hooks: container.hooks, db: container.db, box: container.box, config: container.config }, container.tokens, container.logger));
  app.use(express.json({ limit: '64kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(verifyRoutes(container.verify, container.tokens));
  // End users' pages early: every router before them is a list of path matches each page request walks.
  const endUser = endUserRoutes(container);
  app.use(endUser);
  app.use(tokenRoutes(container.tokens));
  app.use(staffRoutes(container.staff.accounts, container.tokens));
  // The outbox only exists without SMTP_URL, which production requires.
  if (container.mail.kind === 'dev-outbox') app.use(devOutboxRoutes(container.db, { public: container.config.DEV_OUTBOX_PUBLIC }));
  app.use(campaignRoutes(container.campaigns, container.waves, container.tokens, container.db, () => container.onCampaignChange?.()));
  app.use(supportRoutes(container.support, container.tokens));
  app.use(auditRoutes(container.db, container.tokens));
  app.use(funnelRoutes(container.db, container.tokens));
  app.use(progressRoutes(container.db, container.tokens));
  // The target RP ID defaults to BASE_URL's host here; with WEBAUTHN_RP_ID it is that setting.
  const baseUrlHost = new URL(container.config.BASE_URL).hostname;
  app.use(exportRoutes({ db: container.db, box: container.box, tokens: container.tokens, baseUrlHost, defaultRpId: container.config.WEBAUTHN_RP_ID }));
  app.use(openApiRoutes());
  app.use(consoleRoutes(container));
  app.use(endUser.notFound);
  app.use(notFoundHandler);
  app.use(errorHandler(container.logger));
  return app;
}
