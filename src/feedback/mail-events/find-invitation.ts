import type { Queryable } from '../../storage/db.ts';
import type { MailEvent } from './mail-provider.ts';

export interface MatchedMail { invitationId: string; mail: string | null; matchedBy: 'message_id' | 'recipient' }

/**
 * The invitation a provider's event is about: by the Message-ID cutover set on the mail, or else the latest mail
 * to that address sent before the event (within 30 days), or else (mail sent before Message-IDs were kept) the
 * address's latest mailed invitation before the event.
 */
export async function findInvitationForEvent(db: Queryable, event: MailEvent): Promise<MatchedMail | null> {
  if (event.messageId) {
    const { rows: [byId] } = await db.query<{ invitation_id: string; mail: string }>(
      'SELECT invitation_id, mail FROM invitation_mails WHERE message_id = $1 AND recipient = $2', [event.messageId, event.recipient],
    );
    if (byId) return { invitationId: String(byId.invitation_id), mail: byId.mail, matchedBy: 'message_id' };
  }
  const at = event.occurredAt ?? new Date();
  const { rows: [byRecipient] } = await db.query<{ invitation_id: string; mail: string }>(
    `SELECT invitation_id, mail FROM invitation_mails
      WHERE recipient = $1 AND sent_at <= $2::timestamptz + interval '5 minutes' AND sent_at > $2::timestamptz - interval '30 days'
      ORDER BY sent_at DESC LIMIT 1`,
    [event.recipient, at],
  );
  if (byRecipient) return { invitationId: String(byRecipient.invitation_id), mail: byRecipient.mail, matchedBy: 'recipient' };
  const { rows: [older] } = await db.query<{ id: string }>(
    `SELECT i.id FROM invitations i JOIN users u ON u.id = i.user_id
      WHERE lower(u.email) = $1 AND i.last_mail_at IS NOT NULL AND i.last_mail_at <= $2::timestamptz + interval '5 minutes'
      ORDER BY i.last_mail_at DESC LIMIT 1`,
    [event.recipient, at],
  );
  return older ? { invitationId: String(older.id), mail: null, matchedBy: 'recipient' } : null;
}
