import type { Queryable } from '../storage/db.ts';

export interface FeedbackSummary {
  /** Contacts about the campaign by where they came from: 'support_page' or the desk. */
  contacts_by_source: Array<{ source: string; contacts: number; last_24h: number }>;
  /** Provider events matched to the campaign's invitations. */
  mail_by_provider: Array<{ provider: string; permanent_bounce: number; transient_bounce: number; complaint: number }>;
  /** Tickets from addresses cutover does not know: load on the desk, attributed to no user or campaign. */
  unattributed_by_desk: Array<{ desk: string; last_24h: number; last_14d: number }>;
}

/** What the campaign page shows of the feedback the desks and mail providers sent (issue 14). */
export async function loadFeedbackSummary(db: Queryable, campaignId: string): Promise<FeedbackSummary> {
  const [contacts, mail, unattributed] = await Promise.all([
    db.query<FeedbackSummary['contacts_by_source'][number]>(
      `SELECT source, count(*)::int AS contacts, count(*) FILTER (WHERE at > now() - interval '24 hours')::int AS last_24h
         FROM support_contacts WHERE campaign_id = $1 GROUP BY source ORDER BY source`, [campaignId]),
    db.query<FeedbackSummary['mail_by_provider'][number]>(
      `SELECT provider, count(*) FILTER (WHERE kind = 'permanent_bounce')::int AS permanent_bounce,
              count(*) FILTER (WHERE kind = 'transient_bounce')::int AS transient_bounce, count(*) FILTER (WHERE kind = 'complaint')::int AS complaint
         FROM mail_events WHERE campaign_id = $1 GROUP BY provider ORDER BY provider`, [campaignId]),
    db.query<FeedbackSummary['unattributed_by_desk'][number]>(
      `SELECT desk, count(*) FILTER (WHERE received_at > now() - interval '24 hours')::int AS last_24h, count(*)::int AS last_14d
         FROM helpdesk_tickets WHERE outcome = 'unattributed' AND received_at > now() - interval '14 days' GROUP BY desk ORDER BY desk`),
  ]);
  return { contacts_by_source: contacts.rows, mail_by_provider: mail.rows, unattributed_by_desk: unattributed.rows };
}
