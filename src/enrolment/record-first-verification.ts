import type { Queryable } from '../storage/db.ts';

/** How a sign-in was proven: the `verified` funnel event and the sign-in page name it. */
export type SignInMethod = 'passkey' | 'totp' | 'password' | 'recovery_code';

/**
 * The first successful sign-in after enrolment: stamps the enrolled invitation and appends `verified`, in one
 * statement, so that it counts once however many sign-ins race. Later sign-ins change nothing.
 */
export async function recordFirstVerification(db: Queryable, userId: string, method: SignInMethod): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH first AS (
       UPDATE invitations SET verified_at = now()
       WHERE user_id = $1 AND state = 'enrolled' AND verified_at IS NULL
       RETURNING id, user_id, wave_id, campaign_id, converted_mail)
     INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail)
     SELECT 'verified', user_id, id, wave_id, campaign_id, $2, converted_mail FROM first`,
    [userId, method],
  );
  return (rowCount ?? 0) > 0;
}
