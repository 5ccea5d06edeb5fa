import type { Queryable } from '../storage/db.ts';
import type { QueueSystem } from '../queue/queue-system.ts';
import { AppError } from '../http/app-error.ts';
import { recordFunnelEvent } from '../funnel/record-funnel-event.ts';
import { sendJobId } from '../campaigns/release-due-mail.ts';

export interface IssuedInvitation {
  invitationId: number;
  waveId: string;
  campaignId: string;
  /** The live invitation this one replaces (revoked, its links deleted), if there was one. */
  replaced: number | null;
}

/**
 * A new invitation for one user, made by support (resend, reset enrolment). Call it inside the action's
 * transaction with the user row locked, then `queueSupportInvitation` after the commit.
 *
 * Why a support wave: an invitation belongs to a wave (`UNIQUE (wave_id, user_id)`), and a user holds at most one
 * live invitation. Rather than reopen an old row (and lose its timeline), the user's live invitation, if any, is
 * revoked with its links, and a new row goes into a *support wave* of the same campaign: a wave of kind 'support',
 * created 'completed', so the dispatcher never releases queued rows from it (the row is released here, as
 * 'sending', and its send job queued at once: an agent's one mail skips the campaign's pacing) while reminders
 * and expiry follow the campaign as for any wave. Each campaign has as many support waves as the most support
 * invitations any one user had in it: the first support wave without this user is reused, else a new one is made.
 */
export async function issueSupportInvitation(tx: Queryable, userId: string, campaignId?: string): Promise<IssuedInvitation> {
  const { rows: [live] } = await tx.query<{ id: number; state: string; campaign_id: string }>(
    "SELECT id, state, campaign_id FROM invitations WHERE user_id = $1 AND state IN ('queued', 'sending', 'sent') FOR UPDATE",
    [userId],
  );
  if (live?.state === 'sending') {
    throw new AppError('mail_in_flight', 'A mail to this user is being sent right now. Try again in a minute.', 409);
  }
  const campaign = await chooseCampaign(tx, userId, campaignId ?? live?.campaign_id);
  if (live) {
    await tx.query("UPDATE invitations SET state = 'revoked', revoked_at = now(), pending_mail = NULL, pending_since = NULL, next_reminder_at = NULL WHERE id = $1", [live.id]);
    await tx.query('DELETE FROM invitation_tokens WHERE invitation_id = $1', [live.id]);
    await recordFunnelEvent(tx, { stage: 'revoked', userId, invitationId: live.id, campaignId: live.campaign_id, detail: { by: 'support' } });
  }
  const waveId = await supportWave(tx, campaign, userId);
  const { rows: [wave] } = await tx.query<{ targeted: number }>('UPDATE waves SET targeted = targeted + 1 WHERE id = $1 RETURNING targeted', [waveId]);
  const { rows: [created] } = await tx.query<{ id: number }>(
    `INSERT INTO invitations (wave_id, campaign_id, user_id, rank, state, pending_mail, pending_since)
     VALUES ($1, $2, $3, $4, 'sending', 'invitation', now()) RETURNING id`,
    [waveId, campaign, userId, wave!.targeted],
  );
  await recordFunnelEvent(tx, { stage: 'targeted', userId, invitationId: created!.id, waveId, campaignId: campaign, detail: { by: 'support' } });
  return { invitationId: created!.id, waveId, campaignId: campaign, replaced: live?.id ?? null };
}

/** Puts the invitation's mail on the send queue. If this fails, the dispatcher's sweep re-queues it within a minute. */
export async function queueSupportInvitation(queues: QueueSystem, issued: IssuedInvitation): Promise<void> {
  await queues.add('invitations.send', { invitationId: String(issued.invitationId), mail: 'invitation' }, { jobId: sendJobId(issued.invitationId, 'invitation', 0) });
}

/** The campaign asked for, else the one of the user's latest invitation; it must be active. */
async function chooseCampaign(tx: Queryable, userId: string, wanted?: string): Promise<string> {
  const { rows: [campaign] } = await tx.query<{ id: string; state: string }>(
    wanted
      ? 'SELECT id, state FROM campaigns WHERE id = $1'
      : 'SELECT c.id, c.state FROM invitations i JOIN campaigns c ON c.id = i.campaign_id WHERE i.user_id = $1 ORDER BY i.created_at DESC LIMIT 1',
    [wanted ?? userId],
  );
  if (!campaign) {
    throw new AppError('no_campaign', wanted ? 'Campaign not found' : 'This user has never been invited: add them to a wave, or name a campaign (campaign_id)', wanted ? 404 : 409, {
      fields: [{ field: 'campaign_id', reason: wanted ? 'no such campaign' : 'is required for a user never invited' }],
    });
  }
  if (campaign.state !== 'active') {
    throw new AppError('campaign_cancelled', 'The campaign is cancelled; name an active campaign (campaign_id)', 409, { fields: [{ field: 'campaign_id', reason: 'the campaign is cancelled' }] });
  }
  return campaign.id;
}

/** The campaign's first support wave that has no invitation for this user yet, or a new one. */
async function supportWave(tx: Queryable, campaignId: string, userId: string): Promise<string> {
  // Two agents acting at once on users of the same campaign make one new wave, not two.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('support-wave:' || $1))", [campaignId]);
  const { rows: [existing] } = await tx.query<{ id: string }>(
    `SELECT w.id FROM waves w WHERE w.campaign_id = $1 AND w.kind = 'support'
       AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.wave_id = w.id AND i.user_id = $2)
     ORDER BY w.created_at LIMIT 1`,
    [campaignId, userId],
  );
  if (existing) return existing.id;
  const { rows: [count] } = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM waves WHERE campaign_id = $1 AND kind = 'support'", [campaignId]);
  const n = count!.n;
  const { rows: [created] } = await tx.query<{ id: string }>(
    `INSERT INTO waves (campaign_id, name, cohort, start_at, state, kind, created_by, started_at, completed_at)
     VALUES ($1, $2, '{}'::jsonb, now(), 'completed', 'support', 'support', now(), now()) RETURNING id`,
    [campaignId, n === 0 ? 'Support: single invitations' : `Support: single invitations (${n + 1})`],
  );
  return created!.id;
}
