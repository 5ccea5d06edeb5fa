import type { RequestHandler } from 'express';
import type { Logger } from '../observability/logger.ts';

/**
 * One access-log line per request: method, path without the query, status, duration and role. Never headers or
 * bodies, which carry tokens and passwords.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const ip = req.ip; // read now: once the client has gone, the socket (and its address) may be gone too
    res.on('finish', () => {
      // Probes poll every few seconds; keep them out of the info log.
      const level = res.statusCode >= 500 ? 'error' : req.path === '/healthz' || req.path === '/readyz' ? 'debug' : 'info';
      logger[level]({
        method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started),
        role: req.principal?.role, ip,
      }, 'request');
    });
    next();
  };
}
