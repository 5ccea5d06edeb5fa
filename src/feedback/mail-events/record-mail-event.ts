import type { Db, Queryable } from '../../storage/db.ts';
import { backoffSeconds } from '../../campaigns/send-invitation.ts';
import { recordFunnelEvent } from '../../funnel/record-funnel-event.ts';
import { findInvitationForEvent, type MatchedMail } from './find-invitation.ts';
import type { MailEvent, Provider } from './mail-provider.ts';

/** Temporary failures (SMTP or reported by the provider) before an invitation is marked failed, as the send job does. */
const MAX_ATTEMPTS = 5;

interface Invitation {
  id: string; user_id: string; wave_id: string; campaign_id: string; state: string; attempts: number; reminders_sent: number;
}

/**
 * One provider event, once: (provider, event id) is unique (and Mailgun's token), so a replayed event records
 * nothing. A permanent bounce marks the invitation `bounced`, a complaint `complained`, and both put the address
 * on the suppression list; a transient bounce is retried as a temporary SMTP failure is.
 */
export async function recordMailEvent(db: Db, provider: Provider, event: MailEvent): Promise<'recorded' | 'duplicate'> {
  return db.transaction(async (tx) => {
    const match = await findInvitationForEvent(tx, event);
    const { rows: [invitation] } = match
      ? await tx.query<Invitation>('SELECT id, user_id, wave_id, campaign_id, state, attempts, reminders_sent FROM invitations WHERE id = $1 FOR UPDATE', [match.invitationId])
      : { rows: [] as Invitation[] };
    const { rows: [row] } = await tx.query<{ id: string }>(
      `INSERT INTO mail_events (provider, event_id, nonce, kind, recipient, invitation_id, campaign_id, matched_by, detail, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [provider, event.eventId, event.nonce ?? null, event.kind, event.recipient, invitation?.id ?? null, invitation?.campaign_id ?? null,
        invitation ? match!.matchedBy : null, event.detail ?? null, event.occurredAt ?? null],
    );
    if (!row) return 'duplicate';
    const reason = `${provider}: ${event.detail ?? event.kind}`.slice(0, 500);
    if (event.kind === 'transient_bounce') {
      if (invitation && !event.providerRetries) await retryLater(tx, invitation, match!, reason);
      return 'recorded';
    }
    const state = event.kind === 'complaint' ? 'complained' : 'bounced';
    if (invitation) {
      const { rowCount } = await tx.query(
        `UPDATE invitations SET state = $2, ${state}_at = now(), pending_mail = NULL, pending_since = NULL, next_reminder_at = NULL, last_error = $3
          WHERE id = $1 AND state IN ('queued', 'sending', 'sent')`,
        [invitation.id, state, reason],
      );
      if (rowCount) {
        await recordFunnelEvent(tx, { stage: state, userId: invitation.user_id, invitationId: invitation.id, waveId: invitation.wave_id, campaignId: invitation.campaign_id, mail: match!.mail, detail: { provider, reason } });
      }
    }
    await tx.query(
      `INSERT INTO mail_suppressions (email, reason, provider, mail_event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) WHERE lifted_at IS NULL DO NOTHING`,
      [event.recipient, state, provider, row.id],
    );
    return 'recorded';
  });
}

/**
 * A transient bounce of the mail the invitation last sent: that mail goes again after the send job's backoff,
 * through the dispatcher's pacing (the invitation back to queued, or the reminder due again); after MAX_ATTEMPTS
 * the invitation is failed, or the reminder skipped, as send-invitation.ts does for temporary SMTP failures.
 */
async function retryLater(tx: Queryable, invitation: Invitation, match: MatchedMail, reason: string): Promise<void> {
  if (invitation.state !== 'sent') return;
  const lastMail = invitation.reminders_sent > 0 ? `reminder_${invitation.reminders_sent}` : 'invitation';
  if (match.mail !== null && match.mail !== lastMail) return; // an older mail: a newer one has gone out since
  const attempts = invitation.attempts + 1;
  const funnel = { userId: invitation.user_id, invitationId: invitation.id, waveId: invitation.wave_id, campaignId: invitation.campaign_id, mail: lastMail, detail: { reason } };
  if (attempts >= MAX_ATTEMPTS) {
    if (lastMail === 'invitation') {
      await tx.query("UPDATE invitations SET state = 'failed', failed_at = now(), next_reminder_at = NULL, attempts = $2, last_error = $3 WHERE id = $1", [invitation.id, attempts, reason]);
    } else {
      await tx.query('UPDATE invitations SET next_reminder_at = NULL, attempts = 0, last_error = $2 WHERE id = $1', [invitation.id, reason]);
    }
    await recordFunnelEvent(tx, { stage: 'failed', ...funnel });
    return;
  }
  const backoff = backoffSeconds(attempts);
  if (lastMail === 'invitation') {
    await tx.query(
      `UPDATE invitations SET state = 'queued', attempts = $2, last_error = $3, next_reminder_at = NULL, not_before = now() + make_interval(secs => $4) WHERE id = $1`,
      [invitation.id, attempts, reason, backoff],
    );
    // The wave may have completed with this mail; it runs again until the retry has gone.
    await tx.query("UPDATE waves SET state = 'running', completed_at = NULL WHERE id = $1 AND state = 'completed'", [invitation.wave_id]);
  } else {
    await tx.query(
      'UPDATE invitations SET reminders_sent = reminders_sent - 1, attempts = $2, last_error = $3, next_reminder_at = now() + make_interval(secs => $4) WHERE id = $1',
      [invitation.id, attempts, reason, backoff],
    );
  }
}
