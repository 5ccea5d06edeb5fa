import { askLegacyWithin } from '../verify/ask-legacy-within.ts';
import type { Db } from '../../storage/db.ts';
import type { Logger } from '../../observability/logger.ts';
import { findLogin, type LoginRecord } from '../verify/find-login.ts';
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
  | { kind: 'migrated'; userId: string }
  /** Another request migrated or created this very user meanwhile: their own credential decides now. */
  | { kind: 'raced'; userId: string };

export interface DecideWithLegacyDeps {
  db: Db;
  legacy: LegacyVerifier;
  logger: Logger;
  /** The platform's budget (`performance.now()` time): the legacy call gets what is left of it. */
  deadline?: number | undefined;
}

/**
 * Asks the legacy system, for a login whose user `legacyMayDecide` allows, or one cutover does not know. A legacy
 * answer proves only the account it names (ARCHITECTURE.md, "Trust on the sign-in path"):
 * - a known user: an `id` in the answer must be theirs; its email is never applied;
 * - an unknown login: a user is created only when neither the answer's id nor its email belongs to anyone.
 * Throws `LegacyUnavailableError` when the legacy system cannot answer.
 */
export async function decideWithLegacy(deps: DecideWithLegacyDeps, user: LoginRecord | null, login: string, password: string): Promise<LegacyDecision> {
  const answer = await askLegacyWithin(deps.legacy, login, password, deps.deadline);
  if (!answer.ok) return { kind: 'refused' };
  const profile = checkedProfile(deps.logger, answer.profile, user?.id ?? null);

  if (user) {
    if (!legacyAnswerNamesUser(user, profile)) {
      deps.logger.warn({ user: user.id }, 'legacy answer names another legacy id than the user it was asked about; refused');
      return { kind: 'identity_mismatch', userId: user.id };
    }
    const migrated = await migrateKnownJitUser(deps.db, user.id, profile, password);
    return { kind: migrated ? 'migrated' : 'raced', userId: user.id };
  }

  const legacyId = profile.id ?? login;
  const email = profile.email ?? (EMAIL_LIKE.test(login) ? login : null);
  const holder = await findIdentityCollision(deps.db, legacyId, email);
  const created = holder ? null : await createJitUser(deps.db, legacyId, email, profile, password);
  if (created) return { kind: 'migrated', userId: created.userId };
  // The login itself became a user since we looked (a concurrent first sign-in of the same person): that user's
  // own credential decides. Otherwise the answer claims someone else's legacy id or email.
  const nowKnown = await findLogin(deps.db, login);
  if (nowKnown) return { kind: 'raced', userId: nowKnown.id };
  return refusedCollision(deps.logger, holder?.id ?? (await findIdentityCollision(deps.db, legacyId, email))?.id ?? null);
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
