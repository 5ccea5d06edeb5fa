import type { Db } from '../../storage/db.ts';
import type { Logger } from '../../observability/logger.ts';
import type { LoginRecord } from '../verify/find-login.ts';
import { cleanLegacyProfile } from './clean-legacy-profile.ts';
import { findIdentityCollision, legacyAnswerNamesUser } from './legacy-identity.ts';
import type { LegacyProfile, LegacyVerifier } from './legacy-verifier.ts';
import { createJitUser, migrateKnownJitUser } from './migrate-jit-user.ts';

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type LegacyDecision =
  /** The legacy system said the password is wrong. */
  | { kind: 'refused' }
  /** The answer names an identity other than the login's user, or one another user holds. */
  | { kind: 'identity_mismatch'; userId: string | null }
  /** The user (known, or created now) is migrated with this password. */
  | { kind: 'migrated'; legacyId: string }
  /** Another request migrated or created this very user meanwhile: their own credential decides now. */
  | { kind: 'raced'; legacyId: string };

export interface DecideWithLegacyDeps {
  db: Db;
  legacy: LegacyVerifier;
  logger: Logger;
}

/**
 * Asks the legacy system, for a login whose user `legacyMayDecide` allows, or one cutover does not know. A legacy
 * answer proves only the account it names (ARCHITECTURE.md, "Trust on the sign-in path"):
 * - a known user: an `id` in the answer must be theirs; its email is never applied;
 * - an unknown login: a user is created only when neither the answer's id nor its email belongs to anyone.
 * Throws `LegacyUnavailableError` when the legacy system cannot answer.
 */
export async function decideWithLegacy(deps: DecideWithLegacyDeps, user: LoginRecord | null, login: string, password: string): Promise<LegacyDecision> {
  const answer = await deps.legacy.verify(login, password);
  if (!answer.ok) return { kind: 'refused' };
  const profile = checkedProfile(deps.logger, answer.profile, user?.id ?? null);

  if (user) {
    if (!legacyAnswerNamesUser(user, profile)) {
      deps.logger.warn({ user: user.id }, 'legacy answer names another legacy id than the user it was asked about; refused');
      return { kind: 'identity_mismatch', userId: user.id };
    }
    const migrated = await migrateKnownJitUser(deps.db, user.id, profile, password);
    return { kind: migrated ? 'migrated' : 'raced', legacyId: user.legacy_id };
  }

  const legacyId = profile.id ?? login;
  const email = profile.email ?? (EMAIL_LIKE.test(login) ? login : null);
  const holder = await findIdentityCollision(deps.db, legacyId, email);
  if (holder) return refusedCollision(deps.logger, holder.id);
  if (await createJitUser(deps.db, legacyId, email, profile, password)) return { kind: 'migrated', legacyId };
  // A unique key was taken between the check and the insert: by this same identity (a concurrent first sign-in),
  // or by someone else.
  const taken = await findIdentityCollision(deps.db, legacyId, email);
  if (taken?.legacy_id === legacyId) return { kind: 'raced', legacyId };
  return refusedCollision(deps.logger, taken?.id ?? null);
}

function refusedCollision(logger: Logger, holder: string | null): LegacyDecision {
  logger.warn({ user: holder }, 'legacy answer for an unknown login names a legacy id or email another user holds; refused');
  return { kind: 'identity_mismatch', userId: holder };
}

function checkedProfile(logger: Logger, raw: LegacyProfile, userId: string | null): LegacyProfile {
  const { profile, dropped } = cleanLegacyProfile(raw);
  // The value itself is not logged: it is personal data, and nothing about it needs a person to read it.
  for (const { field, reason } of dropped) logger.warn({ user: userId, field, reason }, 'legacy profile field dropped');
  return profile;
}
