import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Passwords, tokens, secrets and hashes never reach a log line: these paths are censored wherever
 * they appear, and code logs ids and counts rather than bodies.
 */
const REDACT = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'password_hash', '*.password_hash',
  'encoded', '*.encoded', 'totp', '*.totp', 'authorization', '*.authorization',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cutover' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
