import {
  generateAuthenticationOptions, verifyAuthenticationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Db } from '../storage/db.ts';
import { verifyDummyPassword } from '../identity/argon2id-password.ts';
import { limitSubject, type VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import type { FailureFloor } from '../migration/verify/failure-floor.ts';
import { findLogin } from '../migration/verify/find-login.ts';
import type { RelyingParty } from './relying-party.ts';
import type { RecoveryCodes } from './recovery-codes.ts';
import { recordFirstVerification, type SignInMethod } from './record-first-verification.ts';

export interface SignedIn {
  userId: string;
  email: string | null;
  method: SignInMethod;
  /** Recovery codes left, after a recovery-code sign-in. */
  codesLeft?: number;
}

export type SignInFailure = { failed: 'invalid' } | { failed: 'rate_limited'; retryAfter: number };

/**
 * The sign-in page's own checks: a passkey (WebAuthn assertion) and a recovery code. Passwords, with or without an
 * authenticator code, go through the verification service like /api/v1/verify. Every success is recorded as a
 * verification and, the first time after enrolment, as `verified` in the funnel.
 */
export class SignInService {
  constructor(
    private readonly db: Db,
    private readonly recoveryCodes: RecoveryCodes,
    /** Passkey attempts per credential, recovery-code attempts per user (or unknown email), and both per address. */
    private readonly limiter: VerifyFailureLimiter,
    /** The RP ID (WEBAUTHN_RP_ID) and origin (BASE_URL's) an assertion must name: relyingParty(config). */
    private readonly rp: RelyingParty,
    /** The verify service's floor: a wrong recovery code answers as late as a wrong password. */
    private readonly floor: FailureFloor,
  ) {}

  /** Options for any passkey of this site: no credential list, so the answer is the same for every visitor. */
  passkeyOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    // A passkey signs in alone, so the authenticator must verify the user (PIN or biometric).
    return generateAuthenticationOptions({ rpID: this.rp.rpID, userVerification: 'required', timeout: 300_000 });
  }

  /**
   * Checks an assertion against the stored public key, the challenge we issued, this origin and RP ID. The
   * signature counter must move forward (a cloned authenticator shows up as a counter that does not), and is
   * stored with compare-and-set so that two uses of one assertion cannot both pass.
   */
  async completePasskey(response: AuthenticationResponseJSON, expectedChallenge: string, ip?: string): Promise<SignedIn | SignInFailure> {
    // One key, counted before the check: the credential the assertion names (and the address).
    const limitKey = passkeySubject(response);
    const wait = await this.limiter.attempt(limitKey, ip);
    if (wait > 0) return { failed: 'rate_limited', retryAfter: wait };
    const fail = (): SignInFailure => ({ failed: 'invalid' });
    if (typeof response?.id !== 'string') return fail();
    // Only a credential made under this RP ID: one made under another (rp_id NULL: BASE_URL's host) is bound to it.
    const { rows: [stored] } = await this.db.query<{
      id: string; user_id: string; public_key: Buffer; counter: string; transports: string[]; user_handle: Buffer; email: string | null; path: string; state: string;
    }>(
      `SELECT w.id, w.user_id, w.public_key, w.counter, w.transports, w.user_handle, u.email, u.path, u.state
       FROM webauthn_credentials w JOIN users u ON u.id = w.user_id
       WHERE w.id = $1 AND w.revoked_at IS NULL AND coalesce(w.rp_id, $2) = $3`,
      [response.id, new URL(this.rp.origin).hostname, this.rp.rpID],
    );
    if (!stored || stored.state === 'disabled') return fail();
    if (!userHandleMatches(response, stored.user_handle)) return fail();
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response, expectedChallenge, expectedOrigin: this.rp.origin, expectedRPID: this.rp.rpID, requireUserVerification: true,
        credential: { id: stored.id, publicKey: new Uint8Array(stored.public_key), counter: Number(stored.counter), transports: stored.transports },
      });
    } catch {
      return fail();
    }
    if (!verification.verified) return fail();
    const { newCounter } = verification.authenticationInfo;
    const { rowCount } = await this.db.query(
      'UPDATE webauthn_credentials SET counter = $2, last_used_at = now() WHERE id = $1 AND revoked_at IS NULL AND (counter < $2 OR ($2 = 0 AND counter = 0))',
      [stored.id, newCounter],
    );
    if (!rowCount) return fail();
    await this.limiter.succeeded(limitKey, ip);
    await this.succeeded(stored.user_id, stored.path, 'passkey');
    return { userId: stored.user_id, email: stored.email, method: 'passkey' };
  }

  /** A recovery code with the account's email: it works once, and alone, since it replaces a lost device. */
  async withRecoveryCode(email: string, code: string, ip?: string): Promise<SignedIn | SignInFailure> {
    const started = performance.now();
    // The user is looked up first (as in verify), so that the count is theirs whichever login was typed.
    const user = await findLogin(this.db, email);
    const limitKey = recoverySubject(email, user?.id);
    const wait = await this.limiter.attempt(limitKey, ip);
    if (wait > 0) return { failed: 'rate_limited', retryAfter: wait };
    const ok = user && user.state !== 'disabled' ? await this.recoveryCodes.consume(this.db, user.id, code) : (await verifyDummyPassword(code), false);
    if (!user || !ok) {
      await this.floor.pad(started);
      return { failed: 'invalid' };
    }
    await this.limiter.succeeded(limitKey, ip);
    await this.succeeded(user.id, user.path, 'recovery_code');
    return { userId: user.id, email: user.email, method: 'recovery_code', codesLeft: await this.recoveryCodes.remaining(this.db, user.id) };
  }

  private async succeeded(userId: string, path: string, method: SignInMethod): Promise<void> {
    await this.db.query("INSERT INTO verification_events (user_id, path, outcome, legacy_called) VALUES ($1, $2, 'verified', false)", [userId, path]);
    await recordFirstVerification(this.db, userId, method);
  }
}

/**
 * WebAuthn Level 2 §7.2 step 6: "If response.userHandle is present, verify that the user identified by this value is
 * the owner of credentialSource." The owner's handle is the one stored at registration (16 UUID bytes for passkeys
 * from before migration 013, the UTF-8 of the user id since). An authenticator may leave it out (it must return it
 * only for discoverable credentials), and then the credential id alone names the owner.
 */
function userHandleMatches(response: AuthenticationResponseJSON, stored: Buffer): boolean {
  const handle: unknown = response.response?.userHandle;
  if (handle === undefined || handle === null || handle === '') return true;
  return typeof handle === 'string' && Buffer.from(handle, 'base64url').equals(stored);
}

/**
 * The passkey count's key: the credential id the assertion names (cut short: it is the caller's input). Without
 * one, the address alone counts: a shared key for all malformed answers would be one key for everybody.
 */
function passkeySubject(response: AuthenticationResponseJSON | undefined): string | null {
  return typeof response?.id === 'string' ? credentialSubject(response.id) : null;
}

/** The passkey count's key: the credential the assertion names (support's lockout source reads it too). */
export function credentialSubject(credentialId: string): string {
  return `passkey:${credentialId.slice(0, 200)}`;
}

/** The recovery-code count's key: the user's, or the unknown email's (support's lockout source reads it too). */
export function recoverySubject(email: string, userId?: string | null): string {
  return `recovery:${limitSubject(email, userId)}`;
}
