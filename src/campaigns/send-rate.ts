import { loadCatalog } from '../i18n/message-catalog.ts';
import type { ContactRate, Helpdesk } from './campaign-types.ts';

/** How many invitations the prior is worth: the observed rate takes over as real sends pass this. */
export const PRIOR_WEIGHT = 200;

/**
 * The contact rate as a Beta posterior: prior Beta(rate·w, (1−rate)·w) with w = 200 invitations, updated by the
 * contacts recorded from this campaign's invitees. Its mean is what the throttle divides by.
 */
export function learnContactRate(prior: number, invitationsSent: number, contacts: number, contactsLastHour: number): ContactRate {
  const alpha = prior * PRIOR_WEIGHT + contacts;
  const beta = (1 - prior) * PRIOR_WEIGHT + Math.max(0, invitationsSent - contacts);
  return {
    prior,
    observed: invitationsSent > 0 ? contacts / invitationsSent : null,
    effective: alpha / (alpha + beta),
    invitations_sent: invitationsSent,
    contacts,
    contacts_last_hour: contactsLastHour,
  };
}

/** capacity ÷ contact rate, capped by max_per_hour: the invitations an hour the help desk can absorb. */
export function sendRatePerHour(helpdesk: Pick<Helpdesk, 'capacity_per_hour'>, contactRate: number, maxPerHour: number | null): number {
  const rate = helpdesk.capacity_per_hour / contactRate;
  return Math.max(0, Math.floor(maxPerHour === null ? rate : Math.min(rate, maxPerHour)));
}

/** The throttle in words (locales/en/console.json: the staff console is English), with ICU plural rules. */
export function explainThrottle(helpdesk: Helpdesk, contactRate: ContactRate, rate: number, maxPerHour: number | null): string {
  const percent = `${+(contactRate.effective * 100).toFixed(contactRate.effective < 0.01 ? 2 : 1)}%`;
  const capped = maxPerHour !== null && maxPerHour < helpdesk.capacity_per_hour / contactRate.effective;
  return loadCatalog().format('en', 'console.throttle', {
    tickets: helpdesk.capacity_per_hour, ticketCount: String(helpdesk.capacity_per_hour), learned: contactRate.observed === null ? 'no' : 'yes', percent, rate,
    capped: capped ? 'yes' : 'no', cap: String(maxPerHour),
  });
}
