import type { Db } from '../storage/db.ts';
import { ARGON2ID_SCHEME, hashPassword } from './argon2id-password.ts';

/**
 * Replaces a verified legacy hash with argon2id, in one transaction: the legacy hash is deleted, the argon2id
 * credential stored, and a pending user becomes migrated. Compare-and-set on the exact legacy hash: of two
 * concurrent sign-ins, one upgrades and answers `rehashed: true`; the other finds the hash gone and answers false.
 */
export async function upgradeLegacyCredential(db: Db, userId: string, legacyHash: string, password: string): Promise<{ rehashed: boolean; migrated: boolean }> {
  const argon2id = await hashPassword(password);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ was_pending: boolean }>(
      `UPDATE users u SET legacy_hash = NULL, legacy_hash_scheme = NULL, updated_at = now(),
              state = CASE WHEN u.state = 'pending' THEN 'migrated' ELSE u.state END,
              migrated_at = CASE WHEN u.state = 'pending' THEN now() ELSE u.migrated_at END
       FROM (SELECT id, state = 'pending' AS was_pending FROM users WHERE id = $1 FOR UPDATE) before
       WHERE u.id = before.id AND u.legacy_hash = $2
       RETURNING before.was_pending`,
      [userId, legacyHash],
    );
    if (rows.length === 0) return { rehashed: false, migrated: false };
    await tx.query(
      `INSERT INTO password_credentials (user_id, scheme, encoded, source, upgraded_at) VALUES ($1, $2, $3, 'rehash', now())
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, ARGON2ID_SCHEME, argon2id],
    );
    return { rehashed: true, migrated: rows[0]!.was_pending };
  });
}
