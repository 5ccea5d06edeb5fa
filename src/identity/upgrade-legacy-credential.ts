import type { Db } from '../storage/db.ts';
import { ARGON2ID_SCHEME, hashPassword } from './argon2id-password.ts';

/**
 * Replaces a verified legacy hash with argon2id. Compare-and-set on the exact legacy hash: of two concurrent
 * sign-ins, one upgrades and answers `true`; the other finds the hash already replaced and answers `false`.
 * The user's state moves from pending to migrated in the same transaction.
 */
export async function upgradeLegacyCredential(db: Db, userId: string, legacyEncoded: string, password: string): Promise<{ rehashed: boolean; migrated: boolean }> {
  const argon2id = await hashPassword(password);
  return db.transaction(async (tx) => {
    const upgraded = await tx.query(
      `UPDATE password_credentials SET scheme = $3, encoded = $4, legacy = false, source = 'rehash', upgraded_at = now()
       WHERE user_id = $1 AND legacy AND encoded = $2`,
      [userId, legacyEncoded, ARGON2ID_SCHEME, argon2id],
    );
    if (!upgraded.rowCount) return { rehashed: false, migrated: false };
    const migrated = await tx.query(
      "UPDATE users SET state = 'migrated', migrated_at = now(), updated_at = now() WHERE id = $1 AND state = 'pending'",
      [userId],
    );
    return { rehashed: true, migrated: Boolean(migrated.rowCount) };
  });
}
