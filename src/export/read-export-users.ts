import { SecretBoxError, type SecretBox } from '../identity/secret-box.ts';
import type { Queryable } from '../storage/db.ts';
import type { ExportPasskey, ExportUser } from './export-user.ts';

export interface ReadExportUsersOptions {
  /** only users whose profile or credentials changed after this time (updated, enrolled, credential created) */
  since?: Date;
  /** users per query; each batch is one users query and one passkeys query */
  batchSize?: number;
  /** BASE_URL's host: the RP ID of passkeys whose rp_id column is NULL (made before migration 013) */
  baseUrlHost: string;
}

interface UserRow {
  id: string; legacy_id: string; email: string | null; email_verified: boolean | null; name: string | null;
  given_name: string | null; family_name: string | null; locale: string | null; timezone: string | null; phone: string | null;
  state: ExportUser['state']; path: ExportUser['path']; updated_at: Date; password: string | null; totp_secret: string | null;
}

interface PasskeyRow {
  id: string; user_id: string; public_key: Buffer; counter: number; transports: string[]; aaguid: string | null;
  backed_up: boolean; device_type: string; rp_id: string | null; user_handle: Buffer; created_at: Date;
}

// A user is exported when cutover holds a credential for them: a stored password, a live authenticator app or a live
// passkey. Keyset pagination on the primary key: each batch is a fresh index range scan, so memory stays at one
// batch whatever the table size, and no cursor or transaction is held open (the embedded database has one connection).
const USERS_SQL = `
  SELECT u.id, u.legacy_id, u.email, u.email_verified, u.name, u.given_name, u.family_name, u.locale, u.timezone, u.phone,
         u.state, u.path, u.updated_at, pc.encoded AS password, t.secret AS totp_secret
    FROM users u
    LEFT JOIN password_credentials pc ON pc.user_id = u.id
    LEFT JOIN totp_credentials t ON t.user_id = u.id AND t.revoked_at IS NULL
   WHERE u.id > $1
     AND (pc.user_id IS NOT NULL OR t.id IS NOT NULL
          OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.user_id = u.id AND w.revoked_at IS NULL))
     AND ($2::timestamptz IS NULL OR u.updated_at > $2 OR u.enrolled_at > $2 OR pc.created_at > $2 OR pc.upgraded_at > $2
          OR t.created_at > $2
          OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.user_id = u.id AND w.revoked_at IS NULL AND w.created_at > $2))
   ORDER BY u.id
   LIMIT $3`;

const PASSKEYS_SQL = `
  SELECT id, user_id, public_key, counter, transports, aaguid, backed_up, device_type, rp_id, user_handle, created_at
    FROM webauthn_credentials WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL ORDER BY user_id, created_at, id`;

/** RFC 4648 §6 Base32, upper case, without padding or the spaces an app shows it with. */
export function unpaddedBase32(secret: string): string {
  return secret.replace(/[\s=]/g, '').toUpperCase();
}

/** The secret as enrolment sealed it (under `user:<id>`), or 'unreadable' when it does not open with this key. */
function openTotp(box: SecretBox, sealed: string, userId: string): string | 'unreadable' {
  try {
    return unpaddedBase32(box.decrypt(sealed, `user:${userId}`));
  } catch (error) {
    if (error instanceof SecretBoxError) return 'unreadable';
    throw error;
  }
}

/**
 * Streams the users cutover holds credentials for, in primary-key order, `batchSize` at a time. TOTP secrets are
 * opened (they are sealed under `user:<id>`) and given as unpadded Base32. Stop iterating (break, or `return()`) and
 * no further batch is read.
 */
export async function* readExportUsers(db: Queryable, box: SecretBox, options: ReadExportUsersOptions): AsyncGenerator<ExportUser[]> {
  const batchSize = options.batchSize ?? 500;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<UserRow>(USERS_SQL, [after, options.since ?? null, batchSize]);
    if (rows.length === 0) return;
    const passkeys = new Map<string, ExportPasskey[]>();
    const { rows: keys } = await db.query<PasskeyRow>(PASSKEYS_SQL, [rows.map((r) => r.id)]);
    for (const key of keys) {
      const list = passkeys.get(key.user_id) ?? [];
      list.push({
        credentialId: key.id, publicKeyCose: key.public_key, counter: Number(key.counter), transports: key.transports,
        aaguid: key.aaguid, backedUp: key.backed_up, deviceType: key.device_type, rpId: key.rp_id ?? options.baseUrlHost,
        userHandle: key.user_handle, createdAt: key.created_at,
      });
      passkeys.set(key.user_id, list);
    }
    yield rows.map((row) => {
      const totp = row.totp_secret === null ? null : openTotp(box, row.totp_secret, row.id);
      return {
      id: row.id, legacyId: row.legacy_id, email: row.email, emailVerified: row.email_verified, name: row.name,
      givenName: row.given_name, familyName: row.family_name, locale: row.locale, timezone: row.timezone, phone: row.phone,
      state: row.state, path: row.path, updatedAt: row.updated_at,
      passwordHash: row.password,
      totpSecretBase32: totp === 'unreadable' ? null : totp,
      ...(totp === 'unreadable' ? { totpUnreadable: true } : {}),
      passkeys: passkeys.get(row.id) ?? [],
      };
    });
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
