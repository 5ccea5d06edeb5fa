import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../observability/logger.ts';
import { AppError } from '../http/app-error.ts';
import { loggablePath } from '../http/request-log.ts';
import { layoutData } from './console-context.ts';
import type { Views } from './views.ts';

const TITLES: Record<number, string> = {
  400: 'That did not work', 403: 'Not allowed', 404: 'Page not found', 410: 'This link has expired',
  413: 'That was too large', 429: 'Too many attempts',
};

/** An error a page can explain: ours, or a body parser's (too large, too many fields, not whole). Else undefined. */
export function knownPageError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const parser = error as { type?: string };
  if (parser.type === 'entity.too.large' || parser.type === 'parameters.too.many') {
    return new AppError('payload_too_large', 'The form sent more than this page accepts. Go back, shorten what you entered and try again.', 413);
  }
  if (parser.type === 'entity.parse.failed' || parser.type === 'request.aborted') return new AppError('invalid_request', 'The form did not arrive whole. Go back and try again.', 400);
  return undefined;
}

/** The console's error boundary: the same errors as the API's, as HTML pages. Internal errors show no detail. */
export function consoleErrorPage(views: Views, logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = knownPageError(error);
    if (!appError || !appError.expose) logger.error({ err: error, method: req.method, path: loggablePath(req.originalUrl.split('?')[0]!) }, 'console request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = appError?.expose ? appError.status : 500;
    const csrf = appError?.code === 'csrf_failed';
    for (const [name, value] of Object.entries(appError?.options.headers ?? {})) res.setHeader(name, value);
    res.status(status).type('html').send(views.render('error', {
      ...layoutData(req),
      title: csrf ? 'This form has expired' : TITLES[status] ?? 'Something went wrong',
      message: appError?.expose ? appError.message : 'Something went wrong on our side. Try again in a moment; if it keeps happening, tell an admin.',
      status,
    }));
  };
}

export const consoleNotFound: RequestHandler = (req) => {
  throw new AppError('not_found', `There is no console page at ${loggablePath(req.originalUrl.split('?')[0]!)}.`, 404);
};
