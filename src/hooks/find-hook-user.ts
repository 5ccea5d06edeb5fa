import type { Queryable } from '../storage/db.ts';
import type { LoginRecord } from '../migration/verify/find-login.ts';

export type HookUser = Omit<LoginRecord, 'encoded' | 'totp_last_step' | 'legacy_hash' | 'legacy_hash_scheme'> & { has_password: boolean };

const SELECT = `
SELECT u.id, u.legacy_id, u.email, u.email_verified, u.name, u.given_name, u.family_name, u.locale, u.timezone,
       u.phone, u.attributes, u.path, u.state, (c.user_id IS NOT NULL OR u.legacy_hash IS NOT NULL) AS has_password,
       t.id AS totp_id, t.secret AS totp_secret
FROM users u LEFT JOIN password_credentials c ON c.user_id = u.id
     LEFT JOIN totp_credentials t ON t.user_id = u.id AND t.revoked_at IS NULL`;

/**
 * A user by email or legacy id, both without regard to case (keycloak-user-migration #138: usernames compared
 * case-sensitively). An email match wins, then an exact legacy id, then one that differs only in case.
 */
export async function findHookUser(db: Queryable, login: string): Promise<HookUser | null> {
  const { rows } = await db.query<HookUser>(
    `(${SELECT} WHERE lower(u.email) = lower($1)) UNION ALL (${SELECT} WHERE u.legacy_id = $1)
     UNION ALL (${SELECT} WHERE lower(u.legacy_id) = lower($1)) LIMIT 1`,
    [login],
  );
  return rows[0] ?? null;
}

/**
 * Whether a platform may create this user with a password: a reset-path user who has not enrolled has none (their
 * way in is the invitation), and a disabled user may not sign in at all.
 */
export function mayTakeOver(user: HookUser): boolean {
  if (user.state === 'disabled') return false;
  return !(user.path === 'reset' && user.state !== 'enrolled');
}
