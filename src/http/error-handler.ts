import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../observability/logger.ts';
import { AppError } from './app-error.ts';

/** Errors raised by express/body parsers carry a status and a type; map the ones a client can cause. */
export function fromParserError(error: { type?: string; status?: number; message?: string }): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large', 413);
    case 'entity.parse.failed':
      return new AppError('invalid_request', 'The request body is not valid JSON', 400, { fields: [{ field: 'body', reason: 'not valid JSON' }] });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', error.message ?? 'Unsupported encoding', 415);
    case 'request.aborted':
      return new AppError('request_aborted', 'The client closed the request', 400);
    default:
      return undefined;
  }
}

/**
 * The one error boundary. Known errors become `{"error": code, ...}` with their status; anything else is logged
 * and answered as a bare 500, never with a message or stack.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = error instanceof AppError ? error : fromParserError(error);
    if (!known || !known.expose) {
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (!known || !known.expose) {
      res.status(known?.status ?? 500).json({ error: known?.code ?? 'internal_error' });
      return;
    }
    for (const [name, value] of Object.entries(known.options.headers ?? {})) res.setHeader(name, value);
    res.status(known.status).json({
      ...known.options.body,
      error: known.code,
      ...(known.options.body ? {} : { message: known.message }),
      ...(known.options.fields ? { fields: known.options.fields } : {}),
    });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
};
