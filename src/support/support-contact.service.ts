import type { Db, Queryable } from '../storage/db.ts';
import type { Principal } from '../http/roles.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { NotFoundError } from '../http/app-error.ts';
import { recordFunnelEvent } from '../funnel/record-funnel-event.ts';
import { findLogin } from '../migration/verify/find-login.ts';
import { isUuid } from '../storage/is-uuid.ts';

export interface ContactInput {
  login?: string;
  user_id?: string;
  channel: 'phone' | 'chat' | 'email' | 'other';
  note?: string;
  /** Why they got in touch, in the agent's words; also the audit entry's reason. */
  reason?: string;
}

export interface NewContact {
  userId: string;
  channel: ContactInput['channel'] | 'ticket';
  note?: string | null;
  reason?: string | null;
  /** Who recorded it: the agent, or the desk that sent the ticket. */
  actor: string;
  /** 'support_page' (an agent, in cutover or through the API) or the desk a ticket came from. */
  source?: string;
  ticketId?: string;
}

/**
 * Writes one contact, tied to the user's latest invitation, so that it counts toward that campaign's learned contact
 * rate and its contacts in the last hour (which can hold sending). Every contact takes this path, whether an agent
 * recorded it or a desk's webhook did, so both feed the throttle the same way.
 */
export async function insertSupportContact(tx: Queryable, contact: NewContact) {
  const { rows: [invitation] } = await tx.query<{ id: string; campaign_id: string; wave_id: string }>(
    'SELECT id, campaign_id, wave_id FROM invitations WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
    [contact.userId],
  );
  const { rows: [row] } = await tx.query<{ id: string; at: Date }>(
    `INSERT INTO support_contacts (user_id, campaign_id, invitation_id, channel, note, reason, actor, source, ticket_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, at`,
    [contact.userId, invitation?.campaign_id ?? null, invitation?.id ?? null, contact.channel, contact.note ?? null, contact.reason ?? null, contact.actor, contact.source ?? 'support_page', contact.ticketId ?? null],
  );
  await recordFunnelEvent(tx, { stage: 'contacted_support', userId: contact.userId, invitationId: invitation?.id, waveId: invitation?.wave_id, campaignId: invitation?.campaign_id, detail: { channel: contact.channel, ...(contact.source && contact.source !== 'support_page' ? { source: contact.source } : {}) } });
  return { id: String(row!.id), at: row!.at, invitation };
}

/** One help-desk contact recorded by an agent (the support page or the API), audited with its reason. */
export async function recordSupportContact(db: Db, input: ContactInput, actor: Principal, ip?: string) {
  const userId = input.user_id ?? (input.login ? (await findLogin(db, input.login))?.id : undefined);
  if (!userId || !isUuid(userId)) throw new NotFoundError('User');
  return db.transaction(async (tx) => {
    const { rows: users } = await tx.query<{ id: string }>('SELECT id FROM users WHERE id = $1', [userId]);
    if (!users[0]) throw new NotFoundError('User');
    const { id, at, invitation } = await insertSupportContact(tx, { userId, channel: input.channel, note: input.note, reason: input.reason, actor: actor.name });
    await recordAudit(tx, { actor, action: 'support.contact', target: `user:${userId}`, reason: input.reason, ip, details: { channel: input.channel } });
    return { id, user_id: userId, campaign_id: invitation?.campaign_id ?? null, invitation_id: invitation ? String(invitation.id) : null, channel: input.channel, note: input.note ?? null, reason: input.reason ?? null, at: at.toISOString() };
  });
}
