import type { Queryable } from '../storage/db.ts';

/** Stages in funnel order, and the outcomes beside them. */
export const FUNNEL_STAGES = ['targeted', 'sent', 'clicked', 'started', 'enrolled', 'verified'] as const;
export const FUNNEL_OUTCOMES = ['bounced', 'complained', 'failed', 'expired', 'reminded', 'contacted_support', 'cancelled', 'revoked'] as const;
/** `handed_off`: a target platform took the user's password over (src/hooks/record-hand-off.ts). */
export type FunnelStage = (typeof FUNNEL_STAGES)[number] | (typeof FUNNEL_OUTCOMES)[number] | 'handed_off';

export interface FunnelEvent {
  stage: FunnelStage;
  userId: string;
  invitationId?: number | string | null;
  waveId?: string | null;
  campaignId?: string | null;
  method?: string | null;
  /** Which mail the user acted on or was sent: "invitation", "reminder_1" … */
  mail?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Appends one event. Call it with the transaction that makes the change it records. */
export async function recordFunnelEvent(tx: Queryable, event: FunnelEvent): Promise<void> {
  await tx.query(
    'INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [event.stage, event.userId, event.invitationId ?? null, event.waveId ?? null, event.campaignId ?? null, event.method ?? null, event.mail ?? null, event.detail ?? null],
  );
}
