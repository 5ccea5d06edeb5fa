import nodemailer from 'nodemailer';
import type { Logger } from '../observability/logger.ts';
import type { MailTransport } from './mail-transport.ts';
import { toMailError } from './to-mail-error.ts';

export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; query parameters become nodemailer options (`?ignoreTLS=true`). */
  smtpUrl: string;
  /** The From header of every mail (MAIL_FROM). */
  from: string;
  /** Pooled connections kept open (SMTP_POOL_SIZE). */
  poolSize: number;
  logger: Logger;
  /**
   * How long a successful verify() is trusted, so a readiness probe every few seconds does not open an SMTP
   * connection each time.
   * @defaultValue 30000
   */
  verifyCacheMs?: number;
}

/**
 * Mail through a relay over a pool of SMTP connections. Failures come back as PermanentMailError (5xx: bounce)
 * or TemporaryMailError (4xx, refused, reset, timed out: retry).
 */
export function createSmtpMailTransport(options: SmtpTransportOptions): MailTransport {
  const { from, logger } = options;
  const transporter = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.poolSize,
    // nodemailer waits 2 minutes to connect by default; a send job should fail fast and retry.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    // Mail here is rendered text: never let a message read local files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const verifyCacheMs = options.verifyCacheMs ?? 30_000;
  let verifiedAt = -Infinity;

  return {
    kind: 'smtp',
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from, to: message.to, subject: message.subject, html: message.html, text: message.text, headers: message.headers, messageId: message.messageId,
        });
        return { messageId: info.messageId };
      } catch (error) {
        throw toMailError(error);
      }
    },
    async verify() {
      if (performance.now() - verifiedAt < verifyCacheMs) return true;
      try {
        await transporter.verify();
        verifiedAt = performance.now();
        return true;
      } catch (error) {
        const failure = toMailError(error);
        logger.warn({ err: failure.message, responseCode: failure.responseCode }, 'SMTP relay does not answer');
        return false;
      }
    },
    async close() {
      transporter.close();
    },
  };
}
