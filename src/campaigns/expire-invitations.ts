import type { Db } from '../storage/db.ts';

/**
 * An invitation expires at its deadline (the last mail's time plus link_ttl_hours) unless a reminder is due
 * first, which renews it. Each expiry writes its funnel event in the same statement.
 */
export async function expireInvitations(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `WITH expired AS (
       UPDATE invitations SET state = 'expired', expired_at = now(), next_reminder_at = NULL
       WHERE state = 'sent' AND pending_mail IS NULL AND expires_at <= now()
         AND (next_reminder_at IS NULL OR next_reminder_at > expires_at)
       RETURNING id, user_id, wave_id, campaign_id)
     INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id) SELECT 'expired', user_id, id, wave_id, campaign_id FROM expired`,
  );
  return rowCount ?? 0;
}
