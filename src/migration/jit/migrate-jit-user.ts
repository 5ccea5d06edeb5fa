import type { Db, Queryable } from '../../storage/db.ts';
import { ARGON2ID_SCHEME, hashPassword } from '../../identity/argon2id-password.ts';
import type { LegacyProfile } from './legacy-verifier.ts';

/**
 * The legacy system accepted the password of a known, pending jit user whose identity it matched: update the
 * profile (never the email), store the password as argon2id and mark the user migrated, in one transaction.
 * The user row is locked first and must still be a pending jit user with no credential: if another request
 * migrated or enrolled them meanwhile, nothing is written and the answer is null (their own credential decides).
 */
export async function migrateKnownJitUser(db: Db, userId: string, profile: LegacyProfile, password: string): Promise<{ userId: string; migrated: true } | null> {
  const argon2id = await hashPassword(password);
  return db.transaction(async (tx) => {
    const { rows: [still] } = await tx.query<{ id: string }>(
      `SELECT u.id FROM users u WHERE u.id = $1 AND u.path = 'jit' AND u.state = 'pending' AND u.legacy_hash IS NULL
         AND NOT EXISTS (SELECT 1 FROM password_credentials c WHERE c.user_id = u.id)
       FOR UPDATE`,
      [userId],
    );
    if (!still) return null;
    // The legacy system is the fresher source for a jit user's profile; keep what it does not say.
    await tx.query(
      `UPDATE users SET name = COALESCE($2, name), given_name = COALESCE($3, given_name), family_name = COALESCE($4, family_name),
              locale = COALESCE($5, locale), timezone = COALESCE($6, timezone), phone = COALESCE($7, phone),
              email_verified = COALESCE($8, email_verified), updated_at = now()
       WHERE id = $1`,
      [userId, profile.name ?? null, profile.given_name ?? null, profile.family_name ?? null, profile.locale ?? null,
        profile.timezone ?? null, profile.phone ?? null, profile.email_verified ?? null],
    );
    await storeJitPassword(tx, userId, argon2id);
    return { userId, migrated: true };
  });
}

/**
 * A login cutover did not know, accepted by the legacy system, whose legacy id and email no user holds: create the
 * user, migrated, with the password as argon2id. Null when a unique key (legacy id or email) was taken meanwhile:
 * the answer then names someone else's identity, or another request created this one first.
 */
export async function createJitUser(db: Db, legacyId: string, email: string | null, profile: LegacyProfile, password: string): Promise<{ userId: string; migrated: true } | null> {
  const argon2id = await hashPassword(password);
  return db.transaction(async (tx) => {
    const { rows: [created] } = await tx.query<{ id: string }>(
      `INSERT INTO users (legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes, path)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'jit')
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [legacyId, email, profile.email_verified ?? null, profile.name ?? null, profile.given_name ?? null, profile.family_name ?? null,
        profile.locale ?? null, profile.timezone ?? null, profile.phone ?? null, profile.attributes ?? {}],
    );
    if (!created) return null;
    await storeJitPassword(tx, created.id, argon2id);
    return { userId: created.id, migrated: true };
  });
}

async function storeJitPassword(tx: Queryable, userId: string, argon2id: string): Promise<void> {
  await tx.query(
    `INSERT INTO password_credentials (user_id, scheme, encoded, source, upgraded_at) VALUES ($1, $2, $3, 'jit', now())`,
    [userId, ARGON2ID_SCHEME, argon2id],
  );
  await tx.query("UPDATE users SET state = 'migrated', migrated_at = now(), updated_at = now() WHERE id = $1", [userId]);
}
