import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

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

/**
 * `pretty`: for a person at a terminal (the server passes stdout.isTTY): one coloured line per entry, time first,
 * `service` left out. Otherwise one JSON object a line, for log collectors.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: { pretty?: boolean } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'cutover' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? (options.pretty ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', sync: true }) : undefined),
  );
}
