import type { Queryable } from '../storage/db.ts';
import type { MailMessage } from './mail-transport.ts';

export interface OutboxMail {
  id: number;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  created_at: Date;
}

export type OutboxSummary = Pick<OutboxMail, 'id' | 'to' | 'subject' | 'created_at'>;

const COLUMNS = 'id, to_address AS "to", subject, html, text, headers, created_at';

/** Stores one mail; answers its id. */
export async function storeOutboxMail(db: Queryable, message: MailMessage, headers: Record<string, string>): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO dev_outbox (to_address, subject, html, text, headers) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id',
    [message.to, message.subject, message.html, message.text, JSON.stringify(headers)],
  );
  return rows[0]!.id;
}

/** One page, newest first; `before` is the smallest id of the previous page. */
export async function listOutboxMails(db: Queryable, options: { before?: number; limit: number }): Promise<OutboxSummary[]> {
  const { rows } = await db.query<OutboxSummary>(
    `SELECT id, to_address AS "to", subject, created_at FROM dev_outbox
     WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2`,
    [options.before ?? null, options.limit],
  );
  return rows;
}

export async function findOutboxMail(db: Queryable, id: number): Promise<OutboxMail | null> {
  const { rows } = await db.query<OutboxMail>(`SELECT ${COLUMNS} FROM dev_outbox WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The latest mails, to one address (any case) when `to` is given. */
export async function latestOutboxMails(db: Queryable, options: { to?: string; limit: number }): Promise<OutboxMail[]> {
  const { rows } = await db.query<OutboxMail>(
    `SELECT ${COLUMNS} FROM dev_outbox WHERE $1::text IS NULL OR lower(to_address) = lower($1) ORDER BY id DESC LIMIT $2`,
    [options.to ?? null, options.limit],
  );
  return rows;
}
