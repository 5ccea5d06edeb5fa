import { ConfigError, SMTP_URL_REQUIRED } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Queryable } from '../storage/db.ts';
import { createDevOutboxTransport } from './dev-outbox-transport.ts';
import type { MailTransport } from './mail-transport.ts';
import { createSmtpMailTransport } from './smtp-mail-transport.ts';

export interface MailTransportOptions {
  /** SMTP_URL; unset means the dev outbox, which production refuses. */
  smtpUrl?: string | undefined;
  from: string;
  poolSize: number;
  nodeEnv: 'development' | 'production' | 'test';
  db: Queryable;
  logger: Logger;
}

/** The SMTP relay when SMTP_URL is set; otherwise, outside production only, the dev outbox in Postgres. */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  if (options.smtpUrl) {
    return createSmtpMailTransport({ smtpUrl: options.smtpUrl, from: options.from, poolSize: options.poolSize, logger: options.logger });
  }
  // loadConfig already refuses this; kept here so no other caller can send production mail into a table.
  if (options.nodeEnv === 'production') {
    throw new ConfigError([SMTP_URL_REQUIRED]);
  }
  options.logger.info('SMTP_URL is unset: mail goes to the dev outbox at /dev/outbox');
  return createDevOutboxTransport({ db: options.db, from: options.from, logger: options.logger });
}
