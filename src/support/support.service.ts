import type { Db, Queryable } from '../storage/db.ts';
import type { QueueSystem } from '../queue/queue-system.ts';
import type { Principal } from '../http/roles.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError, NotFoundError } from '../http/app-error.ts';
import { isUuid } from '../storage/is-uuid.ts';
import { recordSupportContact, type ContactInput } from './support-contact.service.ts';
import { issueSupportInvitation, queueSupportInvitation } from './issue-support-invitation.ts';
import { loadUserStory, supportInvitationsToday, type UserStory } from './load-user-story.ts';
import { searchUsers, type UserMatch } from './search-users.ts';
import { liftSuppression, refuseIfSuppressed } from './lift-suppression.ts';
import type { UserLockouts, LockedUser } from './user-lockouts.ts';

/**
 * Invitations support may send one user in 24 hours (resend and reset together): enough to fix a lost or
 * mistyped mail, too few for a confused agent or a stolen support token to flood someone's inbox.
 */
export const SUPPORT_INVITATIONS_PER_DAY = 3;

export interface ActionContext {
  actor: Principal;
  reason: string;
  ip?: string;
}

/** The support lookup and its actions. Every action takes a reason and writes its audit entry with its change. */
export class SupportService {
  constructor(private readonly db: Db, private readonly queues: QueueSystem, private readonly lockouts: UserLockouts) {}

  search(query: string): Promise<UserMatch[]> {
    return searchUsers(this.db, query);
  }

  async story(userId: string) {
    const story = await loadUserStory(this.db, userId);
    const lockouts = await this.lockouts.status(story.user as LockedUser);
    return { ...story, lockouts, support_invitations_per_day: SUPPORT_INVITATIONS_PER_DAY };
  }

  /** A new link by mail; the old links stop working at once. */
  async resendInvitation(userId: string, input: { campaign_id?: string }, ctx: ActionContext) {
    const issued = await this.db.transaction(async (tx) => {
      const user = await lockUser(tx, userId);
      if (user.state !== 'pending') {
        throw new AppError('invalid_state', `The user is ${user.state}; only a user who has not enrolled gets an invitation (reset enrolment first)`, 409);
      }
      await checkDailyCap(tx, userId);
      await refuseIfSuppressed(tx, userId);
      const issued = await issueSupportInvitation(tx, userId, input.campaign_id);
      await recordAudit(tx, { actor: ctx.actor, action: 'support.invitation_resend', target: `user:${userId}`, reason: ctx.reason, ip: ctx.ip, details: { invitation: issued.invitationId, replaced: issued.replaced, campaign: issued.campaignId } });
      return issued;
    });
    await queueSupportInvitation(this.queues, issued);
    return { invitation_id: String(issued.invitationId), replaced_invitation_id: issued.replaced === null ? null : String(issued.replaced), campaign_id: issued.campaignId, wave_id: issued.waveId };
  }

  /** Moves the live link's expiry `hours` later (from now, if that is later than its current expiry). */
  async extendLink(userId: string, hours: number, ctx: ActionContext) {
    return this.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const { rows: [invitation] } = await tx.query<{ id: number; old: Date; expires_at: Date }>(
        `UPDATE invitations i SET expires_at = greatest(i.expires_at, now()) + make_interval(hours => $2)
           FROM invitations old WHERE old.id = i.id AND i.user_id = $1 AND i.state = 'sent'
         RETURNING i.id, old.expires_at AS old, i.expires_at`,
        [userId, hours],
      );
      if (!invitation) throw new AppError('no_live_link', 'The user has no live link to extend. Resend the invitation instead.', 409);
      await recordAudit(tx, { actor: ctx.actor, action: 'support.link_extend', target: `user:${userId}`, reason: ctx.reason, ip: ctx.ip, details: { invitation: invitation.id, hours, from: invitation.old, to: invitation.expires_at } });
      return { invitation_id: String(invitation.id), expires_at: invitation.expires_at.toISOString() };
    });
  }

  /** A help-desk contact: counts toward the campaign's contact rate and hourly contacts (the throttle). */
  async recordContact(userId: string, input: Pick<ContactInput, 'channel' | 'note'>, ctx: ActionContext) {
    if (!isUuid(userId)) throw new NotFoundError('User');
    return recordSupportContact(this.db, { ...input, user_id: userId, reason: ctx.reason }, ctx.actor, ctx.ip);
  }

  /** Lets mail go to the user's address again after a bounce or complaint suppressed it. */
  liftSuppression(userId: string, ctx: ActionContext) {
    return liftSuppression(this.db, userId, ctx);
  }

  /** Clears every lock on the user's sign-in (see UserLockouts). */
  async clearLockout(userId: string, ctx: ActionContext) {
    const user = await this.user(this.db, userId);
    const cleared = await this.lockouts.clearLockout(user);
    await recordAudit(this.db, { actor: ctx.actor, action: 'support.lockout_clear', target: `user:${userId}`, reason: ctx.reason, ip: ctx.ip, details: { cleared } });
    return { cleared };
  }

  /**
   * Starts enrolment over: revokes passkeys, authenticator apps and unused recovery codes (kept, with revoked_at,
   * for the history), removes a password set at enrolment, puts the user back to pending, and sends a new
   * invitation. A password from a rehash or jit migration stays: it was never part of enrolment.
   */
  async resetEnrolment(userId: string, input: { campaign_id?: string }, ctx: ActionContext) {
    const result = await this.db.transaction(async (tx) => {
      const user = await lockUser(tx, userId);
      if (user.path !== 'reset') throw new AppError('invalid_path', `The user is on the ${user.path} path; only reset-path users enrol from an invitation`, 409);
      // A reset would make a disabled account pending again, and so able to enrol: re-enabling is not support's call.
      if (user.state === 'disabled') throw new AppError('invalid_state', 'The user is disabled; an admin must enable the account first', 409);
      await checkDailyCap(tx, userId);
      await refuseIfSuppressed(tx, userId);
      const revoked = {
        passkeys: (await tx.query('UPDATE webauthn_credentials SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId])).rowCount ?? 0,
        totp: (await tx.query('UPDATE totp_credentials SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId])).rowCount ?? 0,
        recovery_codes: (await tx.query('UPDATE recovery_codes SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL', [userId])).rowCount ?? 0,
        password: (await tx.query("DELETE FROM password_credentials WHERE user_id = $1 AND source = 'enrolment'", [userId])).rowCount ?? 0,
      };
      await tx.query("UPDATE users SET state = 'pending', enrolled_method = NULL, enrolled_at = NULL, updated_at = now() WHERE id = $1", [userId]);
      const issued = await issueSupportInvitation(tx, userId, input.campaign_id);
      await recordAudit(tx, { actor: ctx.actor, action: 'support.enrolment_reset', target: `user:${userId}`, reason: ctx.reason, ip: ctx.ip, details: { revoked, previous_state: user.state, invitation: issued.invitationId, replaced: issued.replaced } });
      return { issued, revoked, previous_state: user.state };
    });
    await queueSupportInvitation(this.queues, result.issued);
    return { revoked: result.revoked, previous_state: result.previous_state, state: 'pending', invitation_id: String(result.issued.invitationId), campaign_id: result.issued.campaignId };
  }

  private async user(db: Queryable, userId: string): Promise<LockedUser & { state: string; path: string }> {
    if (!isUuid(userId)) throw new NotFoundError('User');
    const { rows: [user] } = await db.query<LockedUser & { state: string; path: string }>('SELECT id, legacy_id, email, state, path FROM users WHERE id = $1', [userId]);
    if (!user) throw new NotFoundError('User');
    return user;
  }
}

/** Locks the user row for the action's transaction: two agents acting on one user take turns. */
async function lockUser(tx: Queryable, userId: string) {
  if (!isUuid(userId)) throw new NotFoundError('User');
  const { rows: [user] } = await tx.query<{ id: string; state: string; path: string }>('SELECT id, state, path FROM users WHERE id = $1 FOR UPDATE', [userId]);
  if (!user) throw new NotFoundError('User');
  return user;
}

async function checkDailyCap(tx: Queryable, userId: string): Promise<void> {
  const sent = await supportInvitationsToday(tx, userId);
  if (sent >= SUPPORT_INVITATIONS_PER_DAY) {
    throw new AppError('too_many_invitations', `Support has sent this user ${sent} invitations in the last 24 hours; the limit is ${SUPPORT_INVITATIONS_PER_DAY}. Try again tomorrow.`, 429);
  }
}

export type { UserStory };
