import type { Queryable } from '../storage/db.ts';
import type { Platform } from './platforms.ts';

/**
 * A platform got a successful answer: it owns the user's password from now on (Okta, Kratos and Keycloak store
 * it, Cognito creates the user, Auth0 and FusionAuth import it). The first hand-off stamps `handed_off_at`, and if
 * the user was invited it is a `handed_off` funnel event on their latest invitation; a later one only updates the
 * platform.
 */
export async function recordHandOff(db: Queryable, userId: string, platform: Platform): Promise<void> {
  await db.query(
    `WITH first AS (
       UPDATE users SET handed_off_at = now(), target_platform = $2 WHERE id = $1 AND handed_off_at IS NULL RETURNING id
     ), again AS (
       UPDATE users SET target_platform = $2 WHERE id = $1 AND handed_off_at IS NOT NULL AND target_platform IS DISTINCT FROM $2
     )
     INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, detail)
     SELECT 'handed_off', i.user_id, i.id, i.wave_id, i.campaign_id, jsonb_build_object('platform', $2::text)
       FROM first JOIN LATERAL (SELECT * FROM invitations WHERE user_id = first.id ORDER BY created_at DESC, id DESC LIMIT 1) i ON true`,
    [userId, platform],
  );
}
