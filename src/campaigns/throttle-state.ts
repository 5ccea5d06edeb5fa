import type { Queryable } from '../storage/db.ts';
import type { CampaignInput, ContactRate } from './campaign-types.ts';
import { learnContactRate, sendRatePerHour } from './send-rate.ts';
import { isStaffed } from './staffed-hours.ts';

export interface ThrottleState {
  contactRate: ContactRate;
  ratePerHour: number;
  /** Why nothing may go out right now, or null. */
  holding: string | null;
}

interface Counts {
  campaign_id: string;
  sent: number;
  contacts: number;
  contacts_last_hour: number;
}

/**
 * Contacts follow mail by hours, so an invitation counts toward the learned rate only once it is old enough to
 * have caused its contacts. Counting fresh sends as "no contact yet" would talk the rate up mid-wave, exactly when
 * the tickets are still on their way.
 */
export const CONTACT_MATURITY_HOURS = 24;

/**
 * Per campaign: invitations sent at least CONTACT_MATURITY_HOURS ago, the help-desk contacts from those invitees,
 * and all contacts in the last hour (which can hold sending).
 */
export async function loadContactCounts(db: Queryable, campaignIds: string[]): Promise<Map<string, Counts>> {
  if (campaignIds.length === 0) return new Map();
  const { rows } = await db.query<Counts>(
    `SELECT c.id AS campaign_id,
            (SELECT count(*) FROM invitations i WHERE i.campaign_id = c.id AND i.sent_at <= now() - make_interval(hours => $2))::int AS sent,
            (SELECT count(*) FROM support_contacts s JOIN invitations i ON i.id = s.invitation_id
              WHERE s.campaign_id = c.id AND i.sent_at <= now() - make_interval(hours => $2))::int AS contacts,
            (SELECT count(*) FROM support_contacts s WHERE s.campaign_id = c.id AND s.at > now() - interval '1 hour')::int AS contacts_last_hour
     FROM unnest($1::uuid[]) AS c(id)`,
    [campaignIds, CONTACT_MATURITY_HOURS],
  );
  return new Map(rows.map((row) => [row.campaign_id, row]));
}

/** The rate a campaign may send at now, and whether it must hold (outside staffed hours, or the desk is full). */
export function throttleState(campaign: Pick<CampaignInput, 'helpdesk' | 'max_per_hour'>, counts: Counts | undefined, now = new Date()): ThrottleState {
  const contactRate = learnContactRate(campaign.helpdesk.contact_rate, counts?.sent ?? 0, counts?.contacts ?? 0, counts?.contacts_last_hour ?? 0);
  const ratePerHour = sendRatePerHour(campaign.helpdesk, contactRate.effective, campaign.max_per_hour);
  let holding: string | null = null;
  if (!isStaffed(campaign.helpdesk, now)) holding = 'outside the help desk\'s staffed hours';
  else if (contactRate.contacts_last_hour >= campaign.helpdesk.capacity_per_hour) {
    holding = `help-desk contacts in the last hour (${contactRate.contacts_last_hour}) reached its capacity (${campaign.helpdesk.capacity_per_hour})`;
  }
  return { contactRate, ratePerHour, holding };
}
