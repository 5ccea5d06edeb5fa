import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../storage/db.ts';
import type { Logger } from '../observability/logger.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { PermanentMailError, TemporaryMailError } from '../mail/mail-transport.ts';
import { recordFunnelEvent } from '../funnel/record-funnel-event.ts';

export type RenderInvitationMail = (kind: 'invitation' | 'reminder', locale: string | null, context: {
  user: { givenName: string | null; name: string | null; email: string };
  link: string;
  expiresAt: Date;
  timezone: string | null;
  reminderNumber?: number;
}) => { subject: string; html: string; text: string };

export interface SendInvitationDeps {
  db: Db;
  mail: MailTransport;
  render: RenderInvitationMail;
  baseUrl: string;
  logger: Logger;
  /** The domain of the Message-IDs cutover sets (BASE_URL's host). */
  messageIdDomain?: string;
  /**
   * Temporary SMTP failures before an invitation is marked failed.
   * @defaultValue 5
   */
  maxAttempts?: number;
}

interface Pending {
  id: string; user_id: string; wave_id: string; campaign_id: string; state: string; pending_mail: string | null;
  attempts: number; reminders_sent: number; sent_at: Date | null; wave_state: string; campaign_state: string;
  link_ttl_hours: number; reminders_after_hours: number[]; campaign_locale: string;
  email: string | null; given_name: string | null; name: string | null; locale: string | null; timezone: string | null;
  /** Why the address is on the suppression list (bounced, complained), or null. */
  suppressed: 'bounced' | 'complained' | null;
}

/** 32 random bytes, base64url, for the link; only the SHA-256 is stored. */
export function newInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

/** The wait before retry `attempts` of a temporary failure: 30 s, 2 min, 8 min … capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 4 ** (attempts - 1));
}

/**
 * The send job: mint a link, render the mail, send it, record it. Safe to run twice: it acts only while the
 * invitation still waits for this very mail. A temporary SMTP failure returns the mail to the dispatcher with a
 * backoff, so that retries are paced like everything else; a permanent one marks the invitation bounced.
 * A crash between the SMTP accept and the update below may send that one mail again, and nothing more.
 */
export async function sendInvitation(deps: SendInvitationDeps, invitationId: string, mail: string): Promise<string> {
  const { db } = deps;
  // One round trip reads what the mail needs and, if the invitation still waits for this mail in a live wave,
  // stores the new link's hash: the link works from the moment the mail can arrive.
  const { token, hash } = newInvitationToken();
  const { rows: [row] } = await db.query<Pending & { token_stored: boolean }>(
    `WITH target AS (
       SELECT i.id, i.user_id, i.wave_id, i.campaign_id, i.state, i.pending_mail, i.attempts, i.reminders_sent, i.sent_at,
              w.state AS wave_state, c.state AS campaign_state, c.link_ttl_hours, c.reminders_after_hours, c.locale AS campaign_locale,
              u.email, u.given_name, u.name, u.locale, u.timezone,
              (SELECT s.reason FROM mail_suppressions s WHERE s.email = lower(u.email) AND s.lifted_at IS NULL) AS suppressed
       FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN campaigns c ON c.id = i.campaign_id JOIN users u ON u.id = i.user_id
       WHERE i.id = $1),
     token AS (
       INSERT INTO invitation_tokens (token_hash, invitation_id, mail)
       SELECT $2, id, $3 FROM target
       WHERE pending_mail = $3 AND state IN ('sending', 'sent') AND wave_state IN ('running', 'completed') AND campaign_state = 'active' AND email IS NOT NULL AND suppressed IS NULL
       RETURNING invitation_id)
     SELECT target.*, EXISTS (SELECT 1 FROM token) AS token_stored FROM target`,
    [invitationId, hash, mail],
  );
  if (!row || row.pending_mail !== mail || !['sending', 'sent'].includes(row.state)) return 'not pending';
  const reminderNumber = mail.startsWith('reminder_') ? Number(mail.slice('reminder_'.length)) : 0;
  if (row.suppressed) return withholdFromSuppressed(deps, row, mail);
  if (!row.token_stored || !row.email) {
    // Hand it back: a paused wave sends it when resumed; a cancelled one has already withdrawn it.
    await db.query(
      `UPDATE invitations SET pending_mail = NULL, pending_since = NULL,
              state = CASE WHEN state = 'sending' THEN 'queued' ELSE state END,
              next_reminder_at = CASE WHEN $2 > 0 THEN now() ELSE next_reminder_at END
       WHERE id = $1 AND pending_mail = $3`,
      [invitationId, reminderNumber, mail],
    );
    return 'returned';
  }

  const now = new Date();
  const expiresAt = new Date(now.getTime() + row.link_ttl_hours * 3_600_000);
  const rendered = deps.render(reminderNumber > 0 ? 'reminder' : 'invitation', row.locale ?? row.campaign_locale, {
    user: { givenName: row.given_name, name: row.name, email: row.email }, link: `${deps.baseUrl}/enrol/${token}`,
    expiresAt, timezone: row.timezone, reminderNumber: reminderNumber || undefined,
  });
  // Our own Message-ID, kept below, is how a provider's bounce or complaint finds this invitation (src/feedback/).
  const messageId = `${randomBytes(16).toString('hex')}.${invitationId}@${deps.messageIdDomain ?? 'cutover.invalid'}`;
  try {
    await deps.mail.send({ to: row.email, ...rendered, messageId: `<${messageId}>`, headers: { 'X-Cutover-Invitation': `${invitationId}/${mail}` } });
  } catch (error) {
    await db.query('DELETE FROM invitation_tokens WHERE token_hash = $1', [hash]);
    return handleSendFailure(deps, row, mail, error);
  }

  // One statement, so one round trip: the state change and its funnel event commit together.
  const sentAt = row.sent_at ?? now;
  const nextReminderHours = row.reminders_after_hours[reminderNumber];
  const nextReminderAt = nextReminderHours === undefined ? null : new Date(sentAt.getTime() + nextReminderHours * 3_600_000);
  await db.query(
    `WITH sent AS (
       UPDATE invitations SET state = 'sent', pending_mail = NULL, pending_since = NULL, sent_at = coalesce(sent_at, $2), last_mail_at = $2,
              expires_at = $3, reminders_sent = $4, next_reminder_at = $5, attempts = 0, last_error = NULL
       WHERE id = $1 RETURNING id, user_id, wave_id, campaign_id)
     , kept AS (INSERT INTO invitation_mails (message_id, invitation_id, mail, recipient, sent_at) SELECT $8, id, $7, lower($9), $2 FROM sent ON CONFLICT DO NOTHING)
     INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, mail)
     SELECT $6, user_id, id, wave_id, campaign_id, $7 FROM sent`,
    [invitationId, now, expiresAt, reminderNumber, nextReminderAt, reminderNumber > 0 ? 'reminded' : 'sent', mail, messageId, row.email],
  );
  return 'sent';
}

/**
 * The address bounced for good or its owner marked cutover's mail as spam: nothing more goes to it until support
 * lifts the suppression. A first mail ends the invitation the way the address's own event did; a reminder is
 * dropped and no further one is scheduled.
 */
async function withholdFromSuppressed(deps: SendInvitationDeps, row: Pending, mail: string): Promise<string> {
  const reason = `address suppressed (${row.suppressed})`;
  // No link was stored for this mail: the statement that reads the row stores one only for an address not suppressed.
  await deps.db.transaction(async (tx) => {
    if (row.state === 'sending') {
      const { rowCount } = await tx.query(
        `UPDATE invitations SET state = $2, ${row.suppressed === 'complained' ? 'complained_at' : 'bounced_at'} = now(), pending_mail = NULL, pending_since = NULL,
                next_reminder_at = NULL, last_error = $3 WHERE id = $1 AND pending_mail = $4`,
        [row.id, row.suppressed, reason, mail],
      );
      if (rowCount) await recordFunnelEvent(tx, { stage: row.suppressed!, userId: row.user_id, invitationId: row.id, waveId: row.wave_id, campaignId: row.campaign_id, mail, detail: { reason, suppressed: true } });
    } else {
      await tx.query('UPDATE invitations SET pending_mail = NULL, pending_since = NULL, next_reminder_at = NULL, last_error = $2 WHERE id = $1 AND pending_mail = $3', [row.id, reason, mail]);
    }
  });
  deps.logger.info({ invitation: row.id, mail, suppressed: row.suppressed }, 'mail withheld: the address is suppressed');
  return 'suppressed';
}

async function handleSendFailure(deps: SendInvitationDeps, row: Pending, mail: string, error: unknown): Promise<string> {
  const reason = (error as Error).message.slice(0, 500);
  const attempts = row.attempts + 1;
  const permanent = error instanceof PermanentMailError;
  const giveUp = permanent || (error instanceof TemporaryMailError && attempts >= (deps.maxAttempts ?? 5));
  if (!(error instanceof PermanentMailError) && !(error instanceof TemporaryMailError)) throw error; // a bug or the database: BullMQ retries
  deps.logger.warn({ invitation: row.id, mail, attempts, permanent, reason }, 'invitation mail not sent');
  const reminder = mail.startsWith('reminder_');
  await deps.db.transaction(async (tx) => {
    if (giveUp && !permanent && reminder) {
      // A reminder that cannot get through is skipped; the invitation and its earlier links stay live.
      await tx.query('UPDATE invitations SET pending_mail = NULL, pending_since = NULL, next_reminder_at = NULL, attempts = 0, last_error = $2 WHERE id = $1', [row.id, reason]);
      await recordFunnelEvent(tx, { stage: 'failed', userId: row.user_id, invitationId: row.id, waveId: row.wave_id, campaignId: row.campaign_id, mail, detail: { reason } });
      return;
    }
    if (giveUp) {
      const state = permanent ? 'bounced' : 'failed';
      await tx.query(
        `UPDATE invitations SET state = $2, ${permanent ? 'bounced_at' : 'failed_at'} = now(), pending_mail = NULL, pending_since = NULL,
                next_reminder_at = NULL, attempts = $3, last_error = $4 WHERE id = $1`,
        [row.id, state, attempts, reason],
      );
      await recordFunnelEvent(tx, { stage: state, userId: row.user_id, invitationId: row.id, waveId: row.wave_id, campaignId: row.campaign_id, mail, detail: { reason } });
      return;
    }
    await tx.query(
      `UPDATE invitations SET pending_mail = NULL, pending_since = NULL, attempts = $2, last_error = $3,
              state = CASE WHEN state = 'sending' THEN 'queued' ELSE state END,
              not_before = now() + make_interval(secs => $4),
              next_reminder_at = CASE WHEN state = 'sent' THEN now() + make_interval(secs => $4) ELSE next_reminder_at END
       WHERE id = $1`,
      [row.id, attempts, reason, backoffSeconds(attempts)],
    );
  });
  return giveUp ? (permanent ? 'bounced' : 'failed') : 'retry later';
}
