import { AppError } from '../http/app-error.ts';

/** Every refused webhook gets this one answer; the log says why (bad signature, stale, no secret set). */
export class WebhookUnauthorizedError extends AppError {
  constructor() {
    super('unauthorized', 'The webhook signature is missing or not right', 401);
  }
}
