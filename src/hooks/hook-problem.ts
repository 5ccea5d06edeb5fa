import type { ErrorRequestHandler, Response } from 'express';
import { AppError, type FieldProblem } from '../http/app-error.ts';
import { fromParserError } from '../http/error-handler.ts';
import type { Logger } from '../observability/logger.ts';

/** An error on a hook, before it is put in the platform's shape. */
export interface HookProblem {
  status: number;
  code: string;
  message: string;
  fields?: FieldProblem[];
}

/** The one mapping from a thrown error to a problem; anything unknown is logged and becomes a bare 500. */
export function hookErrorHandler(logger: Logger, render: (problem: HookProblem, res: Response) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = error instanceof AppError ? error : fromParserError(error);
    if (!known || !known.expose) logger.error({ err: error, method: req.method, path: req.path }, 'hook failed');
    if (res.headersSent) return void res.destroy();
    for (const [name, value] of Object.entries(known?.options.headers ?? {})) res.setHeader(name, value);
    const problem: HookProblem = known && known.expose
      ? { status: known.status, code: known.code, message: known.message, ...(known.options.fields ? { fields: known.options.fields } : {}) }
      : { status: known?.status ?? 500, code: known?.code ?? 'internal_error', message: 'cutover could not answer' };
    render(problem, res);
  };
}

/** cutover's own error shape, for callers that are ours (the Cognito forwarder) or log any JSON. */
export function renderPlainProblem(problem: HookProblem, res: Response): void {
  res.status(problem.status).json({ error: problem.code, message: problem.message, ...(problem.fields ? { fields: problem.fields } : {}) });
}
