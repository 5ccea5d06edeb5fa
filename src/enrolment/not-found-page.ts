import type { RequestHandler } from 'express';
import { securityHeaders } from '../http/security-headers.ts';
import type { PublicPages } from './public-pages.ts';

/** Paths whose clients are programs or staff, with their own 404 shapes: JSON for the API and hooks, the console's page. */
const NOT_FOR_END_USERS = /^\/(api|hooks|console|support|metrics|assets|dev|healthz|readyz)(\/|$)/;

/**
 * What a person who mistypes or half-copies a link sees: a 404 page in their language under the same strict CSP as
 * the other end-user pages, instead of the API's JSON. Programs (anything not asking for HTML first) and the API,
 * hook and console paths keep their own answers.
 */
export function endUserNotFound(pages: PublicPages, options: { https: boolean }): RequestHandler {
  const headers = securityHeaders(options);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_FOR_END_USERS.test(req.path) || req.accepts(['json', 'html']) !== 'html') {
      next();
      return;
    }
    headers(req, res, () => {
      pages.render(res, pages.locale(req), 'enrol/error', {
        titleKey: 'error.title', messageKey: 'error.not_found', minutes: 1, home: req.path.startsWith('/signin') ? '/signin' : '/enrol',
      }, 404);
    });
  };
}
