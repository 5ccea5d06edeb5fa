import type { Db } from '../../storage/db.ts';
import { ARGON2ID_SCHEME, hashPassword } from '../../identity/argon2id-password.ts';
import type { LegacyProfile } from './legacy-verifier.ts';

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The legacy system accepted the password: create or update the user from its profile, store the password as
 * argon2id and mark the user migrated, all in one transaction. Safe to run twice at once: the credential insert
 * and the state change each happen once, and `migrated` is true only for the call that made the change.
 */
export async function migrateJitUser(db: Db, login: string, knownUserId: string | null, profile: LegacyProfile, password: string): Promise<{ userId: string; migrated: boolean }> {
  const argon2id = await hashPassword(password);
  const email = profile.email ?? (EMAIL_LIKE.test(login) ? login : null);
  return db.transaction(async (tx) => {
    let userId = knownUserId;
    if (!userId) {
      const legacyId = profile.id ?? login;
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO users (legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes, path)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'jit')
         ON CONFLICT (legacy_id) DO UPDATE SET updated_at = now()
         RETURNING id`,
        [legacyId, email, profile.email_verified ?? null, profile.name ?? null, profile.given_name ?? null, profile.family_name ?? null,
          profile.locale ?? null, profile.timezone ?? null, profile.phone ?? null, profile.attributes ?? {}],
      );
      userId = rows[0]!.id;
    } else {
      // The legacy system is the fresher source for a jit user's profile; keep what it does not say.
      await tx.query(
        `UPDATE users SET name = COALESCE($2, name), given_name = COALESCE($3, given_name), family_name = COALESCE($4, family_name),
                locale = COALESCE($5, locale), timezone = COALESCE($6, timezone), phone = COALESCE($7, phone),
                email_verified = COALESCE($8, email_verified), updated_at = now()
         WHERE id = $1`,
        [userId, profile.name ?? null, profile.given_name ?? null, profile.family_name ?? null, profile.locale ?? null,
          profile.timezone ?? null, profile.phone ?? null, profile.email_verified ?? null],
      );
    }
    await tx.query(
      `INSERT INTO password_credentials (user_id, scheme, encoded, source, upgraded_at) VALUES ($1, $2, $3, 'jit', now())
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, ARGON2ID_SCHEME, argon2id],
    );
    const changed = await tx.query(
      "UPDATE users SET state = 'migrated', migrated_at = now(), updated_at = now() WHERE id = $1 AND state = 'pending'",
      [userId],
    );
    return { userId, migrated: Boolean(changed.rowCount) };
  });
}
