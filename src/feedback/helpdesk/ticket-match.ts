import type { Queryable } from '../../storage/db.ts';
import type { Ticket } from './desk-adapter.ts';

/** HELPDESK_MATCH parsed: a tag, words in the subject, or the default (a user invited in the last 14 days). */
export type TicketMatch = { kind: 'tag'; tag: string } | { kind: 'subject'; words: string[] } | { kind: 'invited'; days: number };

export const INVITED_WITHIN_DAYS = 14;

export function parseTicketMatch(setting: string | undefined): TicketMatch {
  if (setting?.startsWith('tag:')) return { kind: 'tag', tag: setting.slice(4).trim().toLowerCase() };
  if (setting?.startsWith('subject:')) {
    return { kind: 'subject', words: setting.slice(8).split(',').map((w) => w.trim().toLowerCase()).filter(Boolean) };
  }
  return { kind: 'invited', days: INVITED_WITHIN_DAYS };
}

/** Whether the ticket itself passes a tag or subject rule (the default rule looks at the user instead). */
export function ticketPasses(match: TicketMatch, ticket: Ticket): boolean {
  if (match.kind === 'tag') return ticket.tags.some((t) => t.trim().toLowerCase() === match.tag);
  if (match.kind === 'subject') {
    const subject = (ticket.subject ?? '').toLowerCase();
    return match.words.some((word) => subject.includes(word));
  }
  return true;
}

/**
 * The default rule: the user holds a live invitation that was mailed, or held one that was mailed and ended within
 * the last `days` days.
 */
export async function invitedWithin(db: Queryable, userId: string, days: number): Promise<boolean> {
  const { rows: [row] } = await db.query<{ invited: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM invitations i WHERE i.user_id = $1 AND i.sent_at IS NOT NULL
          AND (i.state = 'sent' OR greatest(i.last_mail_at, i.enrolled_at, i.expired_at, i.bounced_at, i.failed_at, i.cancelled_at, i.revoked_at, i.complained_at)
               >= now() - make_interval(days => $2))) AS invited`,
    [userId, days],
  );
  return row!.invited;
}
