import type { Db } from '../storage/db.ts';

/**
 * "Email me a new link", from the expired-link page. Only a user who can still enrol gets one: not enrolled or
 * disabled, with an invitation that is live or expired in an active campaign whose wave was not cancelled. The
 * mail is not sent here: the invitation is marked due for a reminder, so the dispatcher sends it paced like
 * every other reminder, within the help desk's capacity. An expired invitation comes back to life for it, unless
 * the user holds another live one. The caller answers the same whatever happens here.
 */
export async function requestNewLink(db: Db, email: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows: [revived] } = await tx.query<{ id: string; was: string }>(
      `WITH target AS (
         SELECT i.id, i.user_id, i.state, c.link_ttl_hours FROM users u
           JOIN invitations i ON i.user_id = u.id
           JOIN campaigns c ON c.id = i.campaign_id
           JOIN waves w ON w.id = i.wave_id
          WHERE lower(u.email) = lower($1) AND u.state NOT IN ('enrolled', 'disabled')
            AND c.state = 'active' AND w.state IN ('running', 'completed') AND i.state IN ('sent', 'expired')
          ORDER BY i.created_at DESC LIMIT 1)
       UPDATE invitations i SET state = 'sent', next_reminder_at = now(),
              -- a revived invitation must outlive the wait for its mail, or the expiry sweep would take it again
              expires_at = CASE WHEN target.state = 'expired' THEN now() + make_interval(hours => target.link_ttl_hours) ELSE i.expires_at END
         FROM target
        WHERE i.id = target.id AND i.pending_mail IS NULL
          AND (target.state = 'sent' OR NOT EXISTS (
                SELECT 1 FROM invitations o WHERE o.user_id = target.user_id AND o.state IN ('queued', 'sending', 'sent')))
       RETURNING i.id, target.state AS was`,
      [email.trim()],
    );
    if (!revived) return false;
    // The expired links stay dead: only the link in the new mail opens the revived invitation.
    if (revived.was === 'expired') await tx.query('DELETE FROM invitation_tokens WHERE invitation_id = $1', [revived.id]);
    return true;
  });
}
