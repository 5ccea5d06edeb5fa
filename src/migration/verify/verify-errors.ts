import { AppError } from '../../http/app-error.ts';

/** One answer for a wrong password, an unknown login and a reset-path user: nothing tells them apart. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super('invalid_credentials', 'invalid credentials', 401, { body: { verified: false } });
  }
}

export class LegacyUnavailableAnswer extends AppError {
  constructor() {
    super('legacy_unavailable', 'the legacy system cannot answer', 503, { expose: true, body: { verified: false }, headers: { 'Retry-After': '30' } });
  }
}

export class TooManyFailuresError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('too_many_attempts', 'too many failed attempts', 429, {
      body: { verified: false, retry_after: retryAfterSeconds },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/**
 * The password is right and the user has an authenticator app: send `totp` (or `recovery_code`) too. Only a right
 * password gets this answer, so it tells nothing to someone who does not know the password.
 */
export class TotpRequiredError extends AppError {
  constructor() {
    super('totp_required', 'this user also needs a code from their authenticator app: send "totp"', 401, { body: { verified: false } });
  }
}

/** Every hash-check worker is busy and the queue is full: nothing was checked, so try again in a moment. */
export class HashCheckBusyAnswer extends AppError {
  constructor() {
    super('busy', 'every legacy hash check worker is busy', 503, { expose: true, body: { verified: false }, headers: { 'Retry-After': '1' } });
  }
}
