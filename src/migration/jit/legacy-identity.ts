import type { Queryable } from '../../storage/db.ts';
import type { LoginRecord } from '../verify/find-login.ts';
import type { LegacyProfile } from './legacy-verifier.ts';

/** A known user's legacy answer must name that user: an `id`, when it carries one, equal to their legacy id. */
export function legacyAnswerNamesUser(user: LoginRecord, profile: LegacyProfile): boolean {
  return profile.id === undefined || profile.id === user.legacy_id;
}

/**
 * For a login cutover does not know: the user that already holds the legacy id or the email the answer would
 * create, or null when both are free. A legacy answer never creates a second claim on someone's identity.
 */
export async function findIdentityCollision(db: Queryable, legacyId: string, email: string | null): Promise<{ id: string; legacy_id: string } | null> {
  const { rows } = await db.query<{ id: string; legacy_id: string }>(
    'SELECT id, legacy_id FROM users WHERE legacy_id = $1 OR ($2::text IS NOT NULL AND lower(email) = lower($2)) ORDER BY legacy_id = $1 DESC LIMIT 1',
    [legacyId, email],
  );
  return rows[0] ?? null;
}
