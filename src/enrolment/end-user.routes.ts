import { Router, type RequestHandler } from 'express';
import type { Container } from '../container.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { StaticAssets } from '../http/static-assets.ts';
import { VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import { Views } from '../console/views.ts';
import { enrolRoutes } from './enrol.routes.ts';
import { endUserNotFound } from './not-found-page.ts';
import { PublicPages } from './public-pages.ts';
import { signInRoutes } from './signin.routes.ts';

/** Unknown or dead links one address (an IPv6 client by its /64) may ask for in 15 minutes before it waits. */
const ENROL_LINK_MISSES_PER_ADDRESS = 60;

/** The end-user routes, and the 404 page for browsers that the app mounts after every other router. */
export type EndUserRoutes = Router & { notFound: RequestHandler };

/** The pages end users see: /enrol (from the invitation mail) and /signin, with their own error pages. */
export function endUserRoutes(container: Container): EndUserRoutes {
  const { config, store } = container;
  const https = config.BASE_URL.startsWith('https:');
  const assets = new StaticAssets();
  const views = new Views({ orgName: config.ORG_NAME, assetUrl: (name) => assets.url(name), reload: config.NODE_ENV === 'development' });
  const pages = new PublicPages(views, config.SUPPORT_EMAIL);
  const cookies = { secure: https };

  const router = Router();
  router.use(['/enrol', '/signin'], securityHeaders({ https }));
  router.use(enrolRoutes({
    db: container.db, store, attempts: container.attempts, prefix: config.QUEUE_PREFIX, enrolment: container.enrolment, pages, box: container.box, cookies,
    secret: config.CUTOVER_SECRET, orgName: config.ORG_NAME, queues: container.queues, logger: container.logger,
    linkLimiter: new VerifyFailureLimiter(container.attempts, { prefix: config.QUEUE_PREFIX, scope: 'enrol-link-fail', maxFailures: ENROL_LINK_MISSES_PER_ADDRESS, windowSeconds: 900 }),
  }));
  router.use(signInRoutes({ store, prefix: config.QUEUE_PREFIX, verify: container.verify, signIn: container.signIn, pages, cookies }));
  router.use(['/enrol', '/signin'], pages.errorHandler(container.logger));
  return Object.assign(router, { notFound: endUserNotFound(pages, { https }) });
}
