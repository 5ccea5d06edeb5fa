import type { Queryable } from '../../storage/db.ts';
import type { MigrationPath } from '../import/export-row.ts';

export interface LoginRecord {
  id: string;
  legacy_id: string;
  email: string | null;
  email_verified: boolean | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  locale: string | null;
  timezone: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  path: MigrationPath;
  state: 'pending' | 'migrated' | 'enrolled' | 'disabled';
  /** The export's legacy hash, until the first sign-in replaces it. */
  legacy_hash_scheme: string | null;
  legacy_hash: string | null;
  /** cutover's own argon2id password, if the user has one. */
  encoded: string | null;
  /** The live authenticator app set up at enrolment: a password then needs its code too. */
  totp_id: string | null;
  totp_secret: string | null;
  totp_last_step: string | null;
  /** A live passkey: a user who enrolled one is never decided by the legacy system. */
  has_passkey: boolean;
}

const SELECT_LOGIN = `
SELECT u.id, u.legacy_id, u.email, u.email_verified, u.name, u.given_name, u.family_name, u.locale, u.timezone,
       u.phone, u.attributes, u.path, u.state, u.legacy_hash_scheme, u.legacy_hash, c.encoded,
       t.id AS totp_id, t.secret AS totp_secret, t.last_step AS totp_last_step,
       EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.user_id = u.id AND w.revoked_at IS NULL) AS has_passkey
FROM users u LEFT JOIN password_credentials c ON c.user_id = u.id
     LEFT JOIN totp_credentials t ON t.user_id = u.id AND t.revoked_at IS NULL`;

/** A login is an email (any case) or a legacy id. An email match wins when both exist. */
export async function findLogin(db: Queryable, login: string): Promise<LoginRecord | null> {
  const { rows } = await db.query<LoginRecord>(
    `(${SELECT_LOGIN} WHERE lower(u.email) = lower($1)) UNION ALL (${SELECT_LOGIN} WHERE u.legacy_id = $1) LIMIT 1`,
    [login],
  );
  return rows[0] ?? null;
}

/** The same record by cutover's own user id, for a user a step just changed. */
export async function findLoginByUserId(db: Queryable, userId: string): Promise<LoginRecord | null> {
  const { rows } = await db.query<LoginRecord>(`${SELECT_LOGIN} WHERE u.id = $1`, [userId]);
  return rows[0] ?? null;
}

export function publicUser(user: LoginRecord) {
  return {
    id: user.id, legacy_id: user.legacy_id, email: user.email, email_verified: user.email_verified, name: user.name,
    given_name: user.given_name, family_name: user.family_name, locale: user.locale, timezone: user.timezone,
    phone: user.phone, attributes: user.attributes, path: user.path, state: user.state,
  };
}
