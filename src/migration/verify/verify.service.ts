import type { Db } from '../../storage/db.ts';
import type { Logger } from '../../observability/logger.ts';
import { verifyDummyPassword, verifyPassword } from '../../identity/argon2id-password.ts';
import { upgradeLegacyCredential } from '../../identity/upgrade-legacy-credential.ts';
import { HashCheckPoolFullError, StoredHashUnusableError } from '../../identity/hashes/hash-errors.ts';
import type { LegacyVerifier } from '../jit/legacy-verifier.ts';
import { LegacyUnavailableError } from '../jit/legacy-verifier.ts';
import { decideWithLegacy, type LegacyDecision } from '../jit/decide-with-legacy.ts';
import { legacyMayDecide } from '../jit/legacy-may-decide.ts';
import { findLogin, findLoginByUserId, publicUser, type LoginRecord } from './find-login.ts';
import { InvalidCredentialsError, LegacyUnavailableAnswer, TooManyFailuresError, TotpRequiredError } from './verify-errors.ts';
import { HashCheckBusyAnswer } from './verify-errors.ts';
import type { SecretBox } from '../../identity/secret-box.ts';
import { verifyTotpCode } from '../../identity/totp.ts';
import type { RecoveryCodes } from '../../enrolment/recovery-codes.ts';
import { recordFirstVerification, type SignInMethod } from '../../enrolment/record-first-verification.ts';
import { limitSubject, type VerifyFailureLimiter } from './verify-failure-limiter.ts';
import type { FailureFloor } from './failure-floor.ts';
import { recordHandOff } from '../../hooks/record-hand-off.ts';
import type { Platform } from '../../hooks/platforms.ts';

export interface VerifyInput {
  login: string;
  password: string;
  /** The 6-digit code, for a user who enrolled an authenticator app. */
  totp?: string;
  /** One of the user's recovery codes, in place of `totp`. */
  recovery_code?: string;
  ip?: string;
  /** The target platform asking (issue 12): recorded on the attempt, and on success it owns the user's password. */
  platform?: Platform;
  /** `performance.now()` by which the platform needs the answer: the legacy system gets what is left of it. */
  deadline?: number;
  /**
   * The platform asks for the authenticator code itself (Keycloak with `totps`, Auth0 with `mfa_factors`): the right
   * password is then enough here, and the result carries the TOTP secret for the platform to import.
   */
  carriesSecondFactor?: boolean;
}

export interface VerifyResult {
  verified: true;
  path: 'bulk_hash' | 'jit' | 'reset';
  rehashed: boolean;
  migrated: boolean;
  /** What proved it: the password alone, or with the authenticator code or a recovery code. */
  method: SignInMethod;
  user: ReturnType<typeof publicUser>;
  /** Only with `carriesSecondFactor`, for a user with an authenticator app: its Base32 secret (RFC 6238 defaults). */
  totp?: { secret: string };
}

type Outcome = { result: VerifyResult; userId: string | null; legacyCalled: boolean } | { failed: 'invalid' | 'reset' | 'totp_required' | 'identity_mismatch'; userId: string | null; legacyCalled: boolean };

const FAILURE_OUTCOMES = { invalid: 'invalid_credentials', reset: 'refused_reset', identity_mismatch: 'jit_identity_mismatch' } as const;

export interface VerifyServiceOptions {
  /** Every refusal takes at least this long, so that its timing tells neither whether the login exists nor how its password is stored. */
  floor: FailureFloor;
  /** Opens enrolled TOTP secrets (sealed with the context `user:<id>`). */
  box: SecretBox;
  recoveryCodes: RecoveryCodes;
  /** Checks legacy hashes off the event loop (the bounded worker pool, hash-check-pool.ts). */
  hashChecks: { verify(scheme: string, encoded: string, password: string): Promise<boolean> };
  /** Told of each recorded attempt (for /metrics). */
  onRecorded?: (path: string | null, outcome: string, platform: Platform | null) => void;
}

/**
 * `POST /api/v1/verify`, step by step:
 * 1. find the user by email or legacy id;
 * 2. count the attempt, for the user (or the unknown login) and the address, and refuse at once when either has
 *    too many: counted before the check, so concurrent guesses cannot all pass on one old count;
 * 3. check the password by path: cutover's own argon2id, the legacy hash (then rehash), or the legacy system
 *    (then migrate); an unknown login goes to the legacy system when there is one;
 * 4. record the attempt (a success, or no verdict, takes its count back), and answer every failure alike and no
 *    faster than the floor.
 */
export class VerifyService {
  constructor(
    private readonly db: Db,
    private readonly limiter: VerifyFailureLimiter,
    private readonly legacy: LegacyVerifier | null,
    private readonly logger: Logger,
    private readonly options: VerifyServiceOptions,
  ) {}

  async verify(input: VerifyInput): Promise<VerifyResult> {
    const started = performance.now();
    const user = await findLogin(this.db, input.login);
    const subject = limitSubject(input.login, user?.id);
    const retryAfter = await this.limiter.attempt(subject, input.ip);
    if (retryAfter > 0) throw new TooManyFailuresError(retryAfter);

    let outcome: Outcome;
    try {
      outcome = await this.check(user, input);
    } catch (error) {
      // A full hash pool is no verdict either: the attempt is given back, and the caller told to come back.
      if (error instanceof HashCheckBusyAnswer) await this.limiter.uncount(subject, input.ip);
      if (!(error instanceof LegacyUnavailableError)) throw error;
      // No verdict, so not the user's failure; the address keeps its count, since its calls still loaded the legacy system.
      await this.limiter.uncount(subject);
      this.logger.warn({ reason: error.message }, 'legacy system unavailable');
      await this.recordEvent(user?.id ?? null, user?.path ?? 'jit', 'legacy_unavailable', true, input.platform);
      throw new LegacyUnavailableAnswer();
    }

    if ('result' in outcome) {
      await Promise.all([
        this.limiter.succeeded(subject, input.ip),
        this.recordEvent(outcome.userId, outcome.result.path, 'verified', outcome.legacyCalled, input.platform),
        input.platform && outcome.userId ? recordHandOff(this.db, outcome.userId, input.platform) : undefined,
        outcome.userId && 'state' in outcome.result.user && outcome.result.user.state === 'enrolled' ? recordFirstVerification(this.db, outcome.userId, outcome.result.method) : undefined,
      ]);
      return outcome.result;
    }
    if (outcome.failed === 'totp_required') {
      // Not a failure: the password was right, and the caller now asks for the code.
      await this.limiter.uncount(subject, input.ip);
      await this.recordEvent(outcome.userId, user?.path ?? null, 'totp_required', false, input.platform);
      throw new TotpRequiredError();
    }
    await Promise.all([
      this.recordEvent(outcome.userId, user?.path ?? null, FAILURE_OUTCOMES[outcome.failed], outcome.legacyCalled, input.platform),
      outcome.failed === 'reset' && user ? this.markRefusedReset(user.id) : undefined,
    ]);
    await this.options.floor.pad(started);
    throw new InvalidCredentialsError();
  }

  private async check(user: LoginRecord | null, input: VerifyInput): Promise<Outcome> {
    const userId = user?.id ?? null;
    if (user?.state === 'disabled') {
      await verifyDummyPassword(input.password);
      return { failed: 'invalid', userId, legacyCalled: false };
    }
    if (user?.encoded) {
      const ok = await verifyPassword(user.encoded, input.password);
      if (!ok) return { failed: 'invalid', userId, legacyCalled: false };
      return user.totp_id ? this.secondFactor({ ...user, totp_id: user.totp_id }, input) : this.verified(user, false, false);
    }
    if (user?.legacy_hash && user.legacy_hash_scheme) {
      const checkStarted = performance.now();
      const ok = await this.options.hashChecks.verify(user.legacy_hash_scheme, user.legacy_hash, input.password).catch((error: unknown) => {
        if (error instanceof HashCheckPoolFullError) throw new HashCheckBusyAnswer();
        // Never `err`: a hash error's message quotes the salt or digest. The pool's error carries only the kind.
        const problem = error instanceof StoredHashUnusableError ? error.problem : 'failed';
        this.logger.error({ user: user.id, scheme: user.legacy_hash_scheme, problem }, 'stored legacy hash could not be checked');
        return false;
      });
      await this.options.floor.observe(user.legacy_hash_scheme, user.legacy_hash, performance.now() - checkStarted);
      if (!ok) return { failed: 'invalid', userId, legacyCalled: false };
      const { rehashed, migrated } = await upgradeLegacyCredential(this.db, user.id, user.legacy_hash, input.password);
      return this.verified(migrated ? { ...user, state: 'migrated' } : user, rehashed, migrated);
    }
    if (user?.state === 'enrolled') {
      // Enrolled with a passkey only: there is no password to check, and no legacy system to ask.
      await verifyDummyPassword(input.password);
      return { failed: 'invalid', userId, legacyCalled: false };
    }
    if (user?.path === 'reset' || (!user && !this.legacy)) {
      await verifyDummyPassword(input.password);
      return { failed: user ? 'reset' : 'invalid', userId, legacyCalled: false };
    }
    if (user && !legacyMayDecide(user)) {
      await verifyDummyPassword(input.password);
      return { failed: 'invalid', userId, legacyCalled: false };
    }
    // A pending jit user, or a login we do not know while the legacy system is there to ask.
    if (!this.legacy) throw new LegacyUnavailableError('LEGACY_VERIFY_URL is not configured');
    return this.legacyOutcome(await decideWithLegacy({ db: this.db, legacy: this.legacy, logger: this.logger, deadline: input.deadline }, user, input.login, input.password), userId, input);
  }

  /** What the legacy system's decision means here; a legacy answer is never a verified user by itself. */
  private async legacyOutcome(decision: LegacyDecision, userId: string | null, input: VerifyInput): Promise<Outcome> {
    if (decision.kind === 'refused') return { failed: 'invalid', userId, legacyCalled: true };
    if (decision.kind === 'identity_mismatch') return { failed: 'identity_mismatch', userId: decision.userId, legacyCalled: true };
    const fresh = await findLoginByUserId(this.db, decision.userId);
    if (!fresh) return { failed: 'invalid', userId, legacyCalled: true };
    if (decision.kind === 'migrated') return { ...this.verified(fresh, false, true), legacyCalled: true };
    // Raced: the user now holds their own credential, which decides (and never the legacy system again).
    if (legacyMayDecide(fresh)) return { failed: 'invalid', userId, legacyCalled: true };
    return { ...(await this.check(fresh, input)), legacyCalled: true };
  }

  /**
   * After the right password, a user with an authenticator app proves the code: checked with ±1 step, and a code
   * from a step already used is refused (the last step is moved forward with compare-and-set, so two requests
   * with one code cannot both pass). A recovery code may stand in for it, once.
   */
  private async secondFactor(user: LoginRecord & { totp_id: string; totp_secret: string | null }, input: VerifyInput): Promise<Outcome> {
    const failed: Outcome = { failed: 'invalid', userId: user.id, legacyCalled: false };
    if (input.totp) {
      const secret = this.options.box.decrypt(user.totp_secret ?? '', `user:${user.id}`);
      const step = await verifyTotpCode(secret, input.totp, user.totp_last_step === null ? null : Number(user.totp_last_step));
      if (step === null) return failed;
      const { rowCount } = await this.db.query(
        'UPDATE totp_credentials SET last_step = $2, last_used_at = now() WHERE id = $1 AND (last_step IS NULL OR last_step < $2)',
        [user.totp_id, step],
      );
      return rowCount ? this.verified(user, false, false, 'totp') : failed;
    }
    if (input.recovery_code) {
      return (await this.options.recoveryCodes.consume(this.db, user.id, input.recovery_code)) ? this.verified(user, false, false, 'recovery_code') : failed;
    }
    if (input.carriesSecondFactor) {
      const verified = this.verified(user, false, false);
      if ('result' in verified) verified.result.totp = { secret: this.options.box.decrypt(user.totp_secret ?? '', `user:${user.id}`) };
      return verified;
    }
    return { failed: 'totp_required', userId: user.id, legacyCalled: false };
  }

  private verified(user: LoginRecord, rehashed: boolean, migrated: boolean, method: SignInMethod = 'password'): Outcome {
    return { result: { verified: true, path: user.path, rehashed, migrated, method, user: publicUser(user) }, userId: user.id, legacyCalled: false };
  }

  private async recordEvent(userId: string | null, path: string | null, outcome: string, legacyCalled: boolean, platform?: Platform): Promise<void> {
    await this.db.query('INSERT INTO verification_events (user_id, path, outcome, legacy_called, platform) VALUES ($1, $2, $3, $4, $5)', [userId, path, outcome, legacyCalled, platform ?? null]);
    this.options.onRecorded?.(path, outcome, platform ?? null);
  }

  private async markRefusedReset(userId: string): Promise<void> {
    await this.db.query('UPDATE users SET refused_signin_at = now() WHERE id = $1', [userId]);
  }
}
