import { limitSubject, type VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import { credentialSubject, recoverySubject } from '../enrolment/signin.service.ts';
import type { Db } from '../storage/db.ts';

/** The user as a lockout source sees them: any of their logins may carry a count. */
export interface LockedUser {
  id: string;
  legacy_id: string;
  email: string | null;
}

export interface Lockout {
  /** Which limit: "verify" (sign-in through POST /api/v1/verify), or whatever a source calls itself. */
  source: string;
  /** Whose count it is: the user's email (or legacy id), or the user id. */
  login: string;
  failures: number;
  max: number;
  /** Seconds until the user may try again; 0 when not locked. */
  retryAfter: number;
}

/**
 * One kind of lock on a user's sign-in. The verify failure limiter is one; the enrolment TOTP lock is another
 * (added with the enrolment flow). Each source reports what it holds and can clear it.
 */
export interface LockoutSource {
  name: string;
  status(user: LockedUser): Promise<Lockout[]>;
  clear(user: LockedUser): Promise<void>;
}

/** A VerifyFailureLimiter seen as a lockout source: `subjectOf` names the count it keeps for the user. */
function limiterSource(name: string, limiter: VerifyFailureLimiter, subjectOf: (user: LockedUser) => string): LockoutSource {
  return {
    name,
    async status(user) {
      const { failures, max, retryAfter } = await limiter.loginStatus(subjectOf(user));
      return [{ source: name, login: user.email ?? user.legacy_id, failures, max, retryAfter }];
    },
    async clear(user) {
      await limiter.clear(subjectOf(user));
    },
  };
}

/**
 * Verify counts attempts per user, whether the email or the legacy id was typed. Its per-address count is not
 * the user's (one address may be guessing many logins), so it is left alone.
 */
export function verifyLockoutSource(limiter: VerifyFailureLimiter): LockoutSource {
  return limiterSource('verify', limiter, (user) => limitSubject(user.legacy_id, user.id));
}

/**
 * The /signin page counts recovery codes per user, and passkey assertions per credential
 * (src/enrolment/signin.service.ts): a user whose passkey was locked by someone replaying its id is cleared too.
 */
export function signInLockoutSource(limiter: VerifyFailureLimiter, db: Db): LockoutSource {
  const recovery = limiterSource('signin', limiter, (user) => recoverySubject(user.legacy_id, user.id));
  const credentials = async (user: LockedUser) => (await db.query<{ id: string }>(
    'SELECT id FROM webauthn_credentials WHERE user_id = $1 AND revoked_at IS NULL', [user.id])).rows.map((row) => row.id);
  return {
    name: 'signin',
    async status(user) {
      const passkeys = await Promise.all((await credentials(user)).map(async (id) => {
        const { failures, max, retryAfter } = await limiter.loginStatus(credentialSubject(id));
        return { source: 'signin', login: `passkey ${id.slice(0, 12)}…`, failures, max, retryAfter };
      }));
      return [...await recovery.status(user), ...passkeys];
    },
    async clear(user) {
      await Promise.all([recovery.clear(user), ...(await credentials(user)).map((id) => limiter.clear(credentialSubject(id)))]);
    },
  };
}

/**
 * Every lock on a user's sign-in, behind one call. `clearLockout` is what the support page's "clear lockout"
 * action runs: register a source (`addSource`) and it is cleared too.
 */
export class UserLockouts {
  private readonly sources: LockoutSource[];

  constructor(sources: LockoutSource[] = []) {
    this.sources = [...sources];
  }

  addSource(source: LockoutSource): void {
    this.sources.push(source);
  }

  /** Counts with at least one failure, from every source. */
  async status(user: LockedUser): Promise<Lockout[]> {
    const all = await Promise.all(this.sources.map((source) => source.status(user)));
    return all.flat().filter((lockout) => lockout.failures > 0 || lockout.retryAfter > 0);
  }

  /** Clears every source's count for the user; answers which sources held a lock (retryAfter > 0) before. */
  async clearLockout(user: LockedUser): Promise<string[]> {
    const before = await this.status(user);
    await Promise.all(this.sources.map((source) => source.clear(user)));
    return [...new Set(before.filter((l) => l.retryAfter > 0).map((l) => l.source))];
  }
}
