import { AppError } from '../http/app-error.ts';

/** Every error the staff feature raises, with its code and status. Messages are safe to show. */
export class StaffExistsError extends AppError {
  constructor(email: string) {
    super('staff_exists', `A staff member with the email ${email} already exists`, 409);
  }
}

export class CannotDisableSelfError extends AppError {
  constructor() {
    super('cannot_disable_self', 'You cannot disable your own account; ask another admin', 409);
  }
}

export class SetupLinkInvalidError extends AppError {
  constructor() {
    super('setup_link_invalid', 'This setup link is not valid: it has expired or was already used. Ask an admin for a new one.', 410);
  }
}

/** One answer for every failed login, so it never tells whether the email has an account. */
export class LoginRefusedError extends AppError {
  constructor() {
    super('login_refused', 'Email, password or code is not right', 401);
  }
}

export class LoginThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super('too_many_attempts', `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 429, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
