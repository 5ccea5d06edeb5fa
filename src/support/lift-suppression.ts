import { recordAudit } from '../audit/record-audit.ts';
import { AppError, NotFoundError } from '../http/app-error.ts';
import type { Principal } from '../http/roles.ts';
import type { Db, Queryable } from '../storage/db.ts';
import { isUuid } from '../storage/is-uuid.ts';

/**
 * Lifts the suppression on the user's address (set by a permanent bounce or a complaint), so that waves, reminders
 * and support invitations may mail it again. The lift, who did it and why stay on the row; the audit entry is
 * written in the same transaction. 409 when the address is not suppressed.
 */
export async function liftSuppression(db: Db, userId: string, ctx: { actor: Principal; reason: string; ip?: string }) {
  if (!isUuid(userId)) throw new NotFoundError('User');
  return db.transaction(async (tx) => {
    const { rows: [user] } = await tx.query<{ email: string | null }>('SELECT email FROM users WHERE id = $1 FOR UPDATE', [userId]);
    if (!user) throw new NotFoundError('User');
    const { rows: [lifted] } = await tx.query<{ id: string; reason: string; provider: string; created_at: Date }>(
      `UPDATE mail_suppressions SET lifted_at = now(), lifted_by = $2, lift_reason = $3
        WHERE email = lower($1) AND lifted_at IS NULL RETURNING id, reason, provider, created_at`,
      [user.email ?? '', ctx.actor.name, ctx.reason],
    );
    if (!lifted) throw new AppError('not_suppressed', 'The user\'s address is not suppressed: mail already goes to it', 409);
    await recordAudit(tx, { actor: ctx.actor, action: 'support.suppression_lift', target: `user:${userId}`, reason: ctx.reason, ip: ctx.ip, details: { suppressed_for: lifted.reason, provider: lifted.provider, since: lifted.created_at } });
    return { lifted: true, suppressed_for: lifted.reason, provider: lifted.provider, since: lifted.created_at.toISOString() };
  });
}

/** A support invitation to a suppressed address would be withheld at send time: say so now instead (409). */
export async function refuseIfSuppressed(tx: Queryable, userId: string): Promise<void> {
  const { rows: [row] } = await tx.query<{ reason: string }>(
    `SELECT s.reason FROM mail_suppressions s JOIN users u ON s.email = lower(u.email) WHERE u.id = $1 AND s.lifted_at IS NULL`, [userId],
  );
  if (row) throw new AppError('address_suppressed', `No mail goes to this address (${row.reason === 'complained' ? 'the user marked our mail as spam' : 'it bounced for good'}). Lift the suppression first.`, 409);
}
