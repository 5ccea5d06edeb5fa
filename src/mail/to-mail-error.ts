import { PermanentMailError, TemporaryMailError } from './mail-transport.ts';

/** The fields nodemailer sets on the errors it hands back (see nodemailer's errors.d.ts). */
interface SmtpFailure {
  code?: string;
  message?: string;
  response?: string;
  responseCode?: number;
  /** nodemailer ≥ 10.2: set with responseCode, true for a 5xx other than 503. */
  permanent?: boolean;
}

// Failures of our own setup, not of this mail: retry (and alert) rather than mark the invitee bounced.
const OUR_SETUP = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS', 'EPROXY']);

/**
 * Sorts a nodemailer failure into the two outcomes a send job acts on. RFC 5321 §4.2.1: a 5yz reply is a
 * permanent negative completion, a 4yz reply a transient one. 503 (bad sequence) says the session was in the wrong
 * state, so it is retried. No reply at all (refused, reset, timed out, closed) is temporary.
 */
export function toMailError(error: unknown): PermanentMailError | TemporaryMailError {
  if (error instanceof PermanentMailError || error instanceof TemporaryMailError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpFailure;
  const { code, responseCode } = failure;
  const reason = `SMTP ${describe(failure)}`;
  const options = { cause: error };
  if (code && OUR_SETUP.has(code)) return new TemporaryMailError(reason, responseCode, options);
  const permanent = failure.permanent ?? (responseCode !== undefined && responseCode >= 500 && responseCode < 600 && responseCode !== 503);
  if (permanent) return new PermanentMailError(reason, responseCode, options);
  // An envelope nodemailer refused before talking to the relay (no recipient, a malformed address) fails every time.
  if (code === 'EENVELOPE' && responseCode === undefined) return new PermanentMailError(reason, undefined, options);
  return new TemporaryMailError(reason, responseCode, options);
}

function describe(failure: SmtpFailure): string {
  const what = failure.response ?? failure.message ?? 'failed';
  return failure.code ? `${failure.code}: ${what}` : what;
}
