import type { Queryable } from '../storage/db.ts';

export interface RecentContact { user_id: string; email: string | null; channel: string; reason: string | null; at: Date }

/** The latest help-desk contacts about a campaign (or one of its waves), for its console page. */
export async function recentContacts(db: Queryable, campaignId: string, waveId?: string, limit = 10): Promise<RecentContact[]> {
  const { rows } = await db.query<RecentContact>(
    `SELECT s.user_id, u.email, s.channel, s.reason, s.at
       FROM support_contacts s JOIN users u ON u.id = s.user_id LEFT JOIN invitations i ON i.id = s.invitation_id
      WHERE s.campaign_id = $1 AND ($2::uuid IS NULL OR i.wave_id = $2)
      ORDER BY s.at DESC LIMIT $3`,
    [campaignId, waveId ?? null, limit],
  );
  return rows;
}
