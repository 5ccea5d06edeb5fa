import type { Queryable } from '../storage/db.ts';

export interface ConfirmResult {
  /** ids and logins that name a user */
  matched: number;
  /** users handed off by this call */
  handed_off: number;
  /** users already handed off (to this platform or moved to it now) */
  already_handed_off: number;
  /** the ids and logins that name no user */
  unknown: string[];
}

/**
 * The target imported these users: stamp them handed off to it, as a platform hook's first success does
 * (src/hooks/record-hand-off.ts): the first hand-off sets `handed_off_at` and writes a `handed_off` funnel event on
 * the user's latest invitation; a later one only moves `target_platform`. Running it twice changes nothing more.
 */
export async function confirmHandOff(db: Queryable, platform: string, userIds: string[], logins: string[]): Promise<ConfirmResult> {
  const { rows } = await db.query<{ id: string; email: string | null; first: boolean }>(
    `WITH ids AS (
       SELECT id, email FROM users WHERE id = ANY($1::uuid[]) OR lower(email) = ANY($2::text[])
     ), first AS (
       UPDATE users u SET handed_off_at = now(), target_platform = $3 FROM ids WHERE u.id = ids.id AND u.handed_off_at IS NULL RETURNING u.id
     ), again AS (
       UPDATE users u SET target_platform = $3 FROM ids WHERE u.id = ids.id AND u.handed_off_at IS NOT NULL AND u.target_platform IS DISTINCT FROM $3
     ), events AS (
       INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, detail)
       SELECT 'handed_off', i.user_id, i.id, i.wave_id, i.campaign_id, jsonb_build_object('platform', $3::text)
         FROM first JOIN LATERAL (SELECT * FROM invitations WHERE user_id = first.id ORDER BY created_at DESC, id DESC LIMIT 1) i ON true
     )
     SELECT ids.id, ids.email, first.id IS NOT NULL AS first FROM ids LEFT JOIN first ON first.id = ids.id`,
    [userIds, logins.map((l) => l.toLowerCase()), platform],
  );
  const ids = new Set(rows.map((r) => r.id));
  const emails = new Set(rows.map((r) => r.email?.toLowerCase()).filter(Boolean));
  const handedOff = rows.filter((r) => r.first).length;
  return {
    matched: rows.length,
    handed_off: handedOff,
    already_handed_off: rows.length - handedOff,
    unknown: [...userIds.filter((id) => !ids.has(id.toLowerCase())), ...logins.filter((l) => !emails.has(l.toLowerCase()))],
  };
}
