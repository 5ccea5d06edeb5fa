import type { Db } from '../../storage/db.ts';
import { insertSupportContact } from '../../support/support-contact.service.ts';
import type { Desk, Ticket } from './desk-adapter.ts';
import { invitedWithin, ticketPasses, type TicketMatch } from './ticket-match.ts';

export type TicketOutcome = 'contact' | 'not_matched' | 'unattributed' | 'duplicate';

/**
 * One ticket from a desk, once: (desk, ticket id) is unique, so a retried or replayed webhook records nothing new.
 * A ticket that counts becomes a support contact on channel `ticket` through the same insert the support page
 * uses, so it feeds the throttle exactly as an agent's contact does. A ticket from an address cutover does not
 * know is desk load attributed to no user.
 */
export async function recordTicket(db: Db, match: TicketMatch, desk: Desk, ticket: Ticket): Promise<TicketOutcome> {
  return db.transaction(async (tx) => {
    const { rows: [user] } = ticket.email
      ? await tx.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [ticket.email])
      : await tx.query<{ id: string }>('SELECT id FROM users WHERE legacy_id = $1', [ticket.legacyId ?? '']);
    let outcome: Exclude<TicketOutcome, 'duplicate'>;
    if (!ticketPasses(match, ticket)) outcome = 'not_matched';
    else if (!user) outcome = 'unattributed';
    else if (match.kind === 'invited' && !(await invitedWithin(tx, user.id, match.days))) outcome = 'not_matched';
    else outcome = 'contact';

    const { rows: [row] } = await tx.query<{ id: string }>(
      `INSERT INTO helpdesk_tickets (desk, ticket_id, outcome, user_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (desk, ticket_id) DO NOTHING RETURNING id`,
      [desk, ticket.ticketId, outcome, user?.id ?? null],
    );
    if (!row) return 'duplicate';
    if (outcome === 'contact') {
      const contact = await insertSupportContact(tx, {
        userId: user!.id, channel: 'ticket', source: desk, ticketId: ticket.ticketId, actor: `helpdesk:${desk}`,
        note: ticket.subject ? ticket.subject.slice(0, 2000) : null,
      });
      await tx.query('UPDATE helpdesk_tickets SET contact_id = $2 WHERE id = $1', [row.id, contact.id]);
    }
    return outcome;
  });
}
