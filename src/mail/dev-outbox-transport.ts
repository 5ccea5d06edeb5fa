import type { Logger } from '../observability/logger.ts';
import type { Queryable } from '../storage/db.ts';
import { storeOutboxMail } from './dev-outbox.repository.ts';
import type { MailTransport } from './mail-transport.ts';

/**
 * Development mail: stored in Postgres instead of sent, browsable at /dev/outbox. Never used in production
 * (createMailTransport refuses). The log line names the outbox page, never the body: it holds the link's token.
 */
export function createDevOutboxTransport(options: { db: Queryable; from: string; logger: Logger }): MailTransport {
  const { db, from, logger } = options;
  return {
    kind: 'dev-outbox',
    async send(message) {
      const id = await storeOutboxMail(db, message, { From: from, To: message.to, Subject: message.subject, ...(message.messageId ? { 'Message-ID': message.messageId } : {}), ...message.headers });
      logger.info({ outboxId: id, page: `/dev/outbox/${id}` }, 'mail stored in the dev outbox');
      return { messageId: message.messageId ?? `<dev-outbox-${id}@cutover.invalid>` };
    },
    async verify() {
      return true;
    },
    async close() {},
  };
}
