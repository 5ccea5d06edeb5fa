export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * An error with meaning: a code for machines, a status for HTTP, and whether its message may be shown.
 * Services throw these; only the error handler turns them into responses.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly options: { expose?: boolean; fields?: FieldProblem[]; body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  get expose(): boolean {
    return this.options.expose ?? this.status < 500;
  }
}

export class InvalidRequestError extends AppError {
  constructor(fields: FieldProblem[], message = 'The request is not valid') {
    super('invalid_request', message, 400, { fields });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`, 404);
  }
}

export class UnauthorizedError extends AppError {
  constructor() {
    super('unauthorized', 'A valid bearer token is required', 401, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends AppError {
  constructor() {
    super('forbidden', 'This token may not do that', 403);
  }
}
