import type { RequestHandler } from 'express';
import type { Logger } from '../observability/logger.ts';

// Case-insensitive like express's routing: /ENROL/<token> opens the link as /enrol/<token> does.
const ENROL_PAGES = /^(\/enrol\/)(?!(?:app|method|passkey|recovery-codes|recovery-codes\.txt|done|new-link)(?:\/|$))[^/]+/i;
const SETUP_LINK = /^(\/console\/setup\/)[^/]+/i;

/**
 * The path to log: a staff setup link and an invitation link carry their one-time token in the path, which must
 * not reach the log. Every /enrol/<segment> that is not one of the flow's own pages is a token (or a guess at one).
 */
export function loggablePath(path: string): string {
  return path.replace(SETUP_LINK, '$1[redacted]').replace(ENROL_PAGES, '$1[redacted]');
}

/**
 * One access-log line per request: method, path without the query, status, duration and role. Never headers or
 * bodies, which carry tokens and passwords.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const ip = req.ip; // read now: once the client has gone, the socket (and its address) may be gone too
    // Read now too: inside a router mounted at /console, req.path is relative (/setup/<token>) when the answer goes.
    const path = loggablePath(req.path);
    res.on('finish', () => {
      // Probes poll every few seconds; keep them out of the info log.
      const level = res.statusCode >= 500 ? 'error' : path === '/healthz' || path === '/readyz' ? 'debug' : 'info';
      logger[level]({
        method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started),
        role: req.principal?.role, ip,
      }, 'request');
    });
    next();
  };
}
