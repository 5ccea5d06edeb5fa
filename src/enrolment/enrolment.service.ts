import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import {
  generateRegistrationOptions, verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Db, Queryable } from '../storage/db.ts';
import type { AttemptCounter } from '../storage/attempt-counter.ts';
import { VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import { AppError } from '../http/app-error.ts';
import { hashPassword } from '../identity/argon2id-password.ts';
import { passwordProblem, type PasswordProblem } from '../identity/check-new-password.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { newTotpSecret, totpUri, verifyTotpCode } from '../identity/totp.ts';
import type { RecoveryCodes } from './recovery-codes.ts';
import type { Platform } from './detect-platform.ts';
import type { LockedUser, LockoutSource } from '../support/user-lockouts.ts';
import type { RelyingParty } from './relying-party.ts';

/** NIST SP 800-63B's floor for a memorised secret chosen by the user. */
export const USER_PASSWORD_MIN = 8;
/** Wrong authenticator codes on the enrolment page before it waits, and for how long. */
export const TOTP_ENROL_MAX_FAILURES = 5;
export const TOTP_ENROL_LOCK_SECONDS = 300;

export type EnrolMethod = 'passkey' | 'totp';

/** An invitation that can still be used: sent, not expired, revoked or used, for a user still to enrol. */
export interface LiveInvitation {
  invitationId: string;
  userId: string;
  waveId: string;
  campaignId: string;
  email: string;
  givenName: string | null;
  name: string | null;
  locale: string | null;
  timezone: string | null;
  campaignLocale: string;
  methods: EnrolMethod[];
  expiresAt: Date;
}

/** The invitation is no longer live: expired, revoked by support, or used (perhaps a moment ago in another tab). */
export class InvitationClosedError extends AppError {
  constructor() {
    super('link_invalid', 'This link has expired or was already used', 410);
  }
}

export class PasskeyRejectedError extends AppError {
  constructor(reason: 'failed' | 'exists' | 'expired') {
    super(`passkey_${reason}`, reason === 'expired' ? 'The passkey request timed out: start again' : 'The passkey could not be verified', 400);
  }
}

export interface EnrolmentOptions {
  /** The RP ID (WEBAUTHN_RP_ID) and origin (BASE_URL's) passkeys are made for: relyingParty(config). */
  rp: RelyingParty;
  orgName: string;
  prefix: string;
}

/** The WebAuthn user handle of a new passkey: the UTF-8 bytes of the user's id, the UUID string. */
export function passkeyUserHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

/**
 * Enrolment retires every earlier credential in its own transaction: the legacy hash, any password (the legacy one
 * rehashed at a sign-in, or one from an earlier enrolment) and any authenticator app. After a passkey enrolment
 * the passkey is the only factor; the app step stores its new password and secret after this. The user is
 * `enrolled` when it commits, which closes the legacy system's path too (it decides only for pending jit users).
 */
async function retireOldCredentials(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE users SET legacy_hash = NULL, legacy_hash_scheme = NULL WHERE id = $1', [userId]);
  await tx.query('DELETE FROM password_credentials WHERE user_id = $1', [userId]);
  await tx.query('UPDATE totp_credentials SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The re-enrolment an invitation link opens: looking the link up, the funnel stages on the way (clicked, started,
 * enrolled), and the two ways to finish: a passkey, or a new password with an authenticator app. Finishing
 * stores the credential, ends the invitation, enrols the user and makes their recovery codes in one transaction,
 * which only one tab can win.
 */
export class EnrolmentService {
  private readonly rp: RelyingParty;
  /** Authenticator codes tried on the page, per invitation (only its link's holder can try them). */
  private readonly codeLimiter: VerifyFailureLimiter;

  constructor(
    private readonly db: Db,
    attempts: AttemptCounter,
    private readonly box: SecretBox,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly options: EnrolmentOptions,
  ) {
    this.rp = options.rp;
    this.codeLimiter = new VerifyFailureLimiter(attempts, {
      prefix: options.prefix, scope: 'enrol-totp-fail', maxFailures: TOTP_ENROL_MAX_FAILURES, windowSeconds: TOTP_ENROL_LOCK_SECONDS,
    });
  }

  /** The invitation a link opens, with which mail carried it; null for anything not live. Records `clicked` once. */
  async openLink(token: string): Promise<{ invitationId: string; userId: string; mail: string } | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const { rows: [link] } = await this.db.query<{ invitation_id: string; user_id: string; mail: string }>(
      `SELECT t.invitation_id, i.user_id, t.mail FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id JOIN users u ON u.id = i.user_id
       WHERE t.token_hash = $1 AND i.state = 'sent' AND i.expires_at > now() AND u.state NOT IN ('enrolled', 'disabled')`,
      [tokenHash(token)],
    );
    if (!link) return null;
    await this.db.query(
      `WITH first AS (
         UPDATE invitations SET clicked_at = now() WHERE id = $1 AND clicked_at IS NULL RETURNING id, user_id, wave_id, campaign_id)
       INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, mail)
       SELECT 'clicked', user_id, id, wave_id, campaign_id, $2 FROM first`,
      [link.invitation_id, link.mail],
    );
    return { invitationId: String(link.invitation_id), userId: link.user_id, mail: link.mail };
  }

  /** The invitation if it is still live; every enrolment request checks, so a revoked link stops mid-flow. */
  async live(invitationId: string, db: Queryable = this.db): Promise<LiveInvitation | null> {
    const { rows: [row] } = await db.query<{
      id: string; user_id: string; wave_id: string; campaign_id: string; expires_at: Date; email: string; given_name: string | null;
      name: string | null; locale: string | null; timezone: string | null; campaign_locale: string; methods: EnrolMethod[];
    }>(
      `SELECT i.id, i.user_id, i.wave_id, i.campaign_id, i.expires_at, u.email, u.given_name, u.name, u.locale, u.timezone,
              c.locale AS campaign_locale, c.methods
       FROM invitations i JOIN users u ON u.id = i.user_id JOIN campaigns c ON c.id = i.campaign_id
       WHERE i.id = $1 AND i.state = 'sent' AND i.expires_at > now() AND u.state NOT IN ('enrolled', 'disabled') AND u.email IS NOT NULL`,
      [invitationId],
    );
    if (!row) return null;
    return {
      invitationId: String(row.id), userId: row.user_id, waveId: row.wave_id, campaignId: row.campaign_id, email: row.email,
      givenName: row.given_name, name: row.name, locale: row.locale, timezone: row.timezone, campaignLocale: row.campaign_locale,
      methods: row.methods.filter((m): m is EnrolMethod => m === 'passkey' || m === 'totp'), expiresAt: row.expires_at,
    };
  }

  /** `started` with the method; the invitation's started_at keeps the first. */
  async recordStarted(invitation: LiveInvitation, method: EnrolMethod, mail: string): Promise<void> {
    await this.db.query(
      `WITH s AS (
         UPDATE invitations SET started_at = coalesce(started_at, now()) WHERE id = $1 AND state = 'sent' RETURNING id, user_id, wave_id, campaign_id)
       INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail)
       SELECT 'started', user_id, id, wave_id, campaign_id, $2, $3 FROM s`,
      [invitation.invitationId, method, mail],
    );
  }

  async passkeyOptions(invitation: LiveInvitation): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { rows: existing } = await this.db.query<{ id: string; transports: string[] }>(
      'SELECT id, transports FROM webauthn_credentials WHERE user_id = $1 AND revoked_at IS NULL',
      [invitation.userId],
    );
    return generateRegistrationOptions({
      rpName: this.options.orgName,
      rpID: this.rp.rpID,
      userName: invitation.email,
      userDisplayName: invitation.name ?? invitation.email,
      // The UTF-8 bytes of the user id (the UUID string): Keycloak finds a passkey's user by its user handle read as
      // UTF-8, so a passkey made now can be exported to it. Credentials made before keep their 16-byte handles.
      userID: passkeyUserHandle(invitation.userId),
      attestationType: 'none',
      // ES256 first, then RS256, then EdDSA: an authenticator takes the first it supports, and FusionAuth's passkey
      // import verifies only RS*, PS* and ES* signatures, so an EdDSA passkey could not move there.
      supportedAlgorithmIDs: [-7, -257, -8],
      timeout: 300_000,
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
      // The passkey is the user's only factor, so the authenticator must verify them (PIN or biometric), not just see them.
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
  }

  /**
   * Verifies the browser's answer against the challenge we issued (the caller takes it from the single-use store),
   * this origin and this RP ID, then finishes enrolment with the credential.
   */
  async completePasskey(invitation: LiveInvitation, response: RegistrationResponseJSON, expectedChallenge: string, platform: Platform, mail: string): Promise<string[]> {
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response, expectedChallenge, expectedOrigin: this.rp.origin, expectedRPID: this.rp.rpID, requireUserVerification: true,
      });
    } catch {
      throw new PasskeyRejectedError('failed');
    }
    if (!verification.verified) throw new PasskeyRejectedError('failed');
    const info = verification.registrationInfo;
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO webauthn_credentials (id, user_id, public_key, counter, transports, device_type, backed_up, aaguid, platform, rp_id, user_handle)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
        [info.credential.id, invitation.userId, Buffer.from(info.credential.publicKey), info.credential.counter,
          info.credential.transports ?? [], info.credentialDeviceType, info.credentialBackedUp, info.aaguid, platform,
          this.rp.rpID, Buffer.from(passkeyUserHandle(invitation.userId))],
      );
      if (!rowCount) throw new PasskeyRejectedError('exists');
      await retireOldCredentials(tx, invitation.userId);
      return this.finish(tx, invitation, 'passkey', platform, mail);
    });
  }

  /** The authenticator secret for this invitation's page, sealed for the session so that a reload shows the same QR. */
  newSealedTotpSecret(invitation: LiveInvitation): string {
    return this.box.encrypt(newTotpSecret(), `enrol:${invitation.invitationId}`);
  }

  async totpPage(invitation: LiveInvitation, sealed: string): Promise<{ secret: string; qrSvg: string }> {
    const secret = this.box.decrypt(sealed, `enrol:${invitation.invitationId}`);
    const qrSvg = await QRCode.toString(totpUri(this.options.orgName, invitation.email, secret), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { secret, qrSvg };
  }

  /**
   * The authenticator path. Returns field problems (password, confirm, code) without changing anything, or the
   * recovery codes when enrolment is done. Every try is counted before the code is checked (a right code takes
   * its count back), so that the 5-minute lock after 5 wrong codes holds for concurrent tries too.
   */
  async completeTotp(invitation: LiveInvitation, sealed: string, form: { password: string; confirm: string; code: string }, platform: Platform, mail: string):
  Promise<{ problems: Record<string, 'password' | 'confirm' | 'code' | 'locked'>; password?: PasswordProblem } | { codes: string[] }> {
    const problems: Record<string, 'password' | 'confirm' | 'code' | 'locked'> = {};
    if (await this.codeLimiter.attempt(codeSubject(invitation.invitationId))) return { problems: { code: 'locked' } };
    const weak = passwordProblem(form.password, invitation.email, USER_PASSWORD_MIN);
    if (weak) problems.password = 'password';
    else if (form.password !== form.confirm) problems.confirm = 'confirm';
    const secret = this.box.decrypt(sealed, `enrol:${invitation.invitationId}`);
    const step = await verifyTotpCode(secret, form.code, null);
    if (step === null) problems.code = 'code';
    if (Object.keys(problems).length > 0) {
      if (step !== null) await this.codeLimiter.uncount(codeSubject(invitation.invitationId));
      return { problems, password: weak ?? undefined };
    }

    const encoded = await hashPassword(form.password);
    const codes = await this.db.transaction(async (tx) => {
      // The old password stops working: the legacy hash goes with the new one in.
      await retireOldCredentials(tx, invitation.userId);
      await tx.query(
        `INSERT INTO password_credentials (user_id, scheme, encoded, source) VALUES ($1, 'argon2id', $2, 'enrolment')`,
        [invitation.userId, encoded],
      );
      await tx.query(
        'INSERT INTO totp_credentials (user_id, secret, last_step) VALUES ($1, $2, $3)',
        [invitation.userId, this.box.encrypt(secret, `user:${invitation.userId}`), step],
      );
      return this.finish(tx, invitation, 'totp', platform, mail);
    });
    await this.clearTotpLock(invitation.invitationId);
    return { codes };
  }

  /** Clears the enrolment page's wrong-code lock (support's "clear lockout" calls this too). */
  async clearTotpLock(invitationId: string): Promise<void> {
    await this.codeLimiter.clear(codeSubject(invitationId));
  }

  /**
   * The enrolment page's wrong-code lock as a support lockout source: it is kept per invitation, so it reads the
   * user's invitations still open for enrolment.
   */
  lockoutSource(): LockoutSource {
    const invitationsOf = async (user: LockedUser) => {
      const { rows } = await this.db.query<{ id: string }>("SELECT id FROM invitations WHERE user_id = $1 AND state = 'sent'", [user.id]);
      return rows.map((row) => String(row.id));
    };
    return {
      name: 'enrolment',
      status: async (user) => Promise.all((await invitationsOf(user)).map(async (id) => {
        const { failures, max, retryAfter } = await this.codeLimiter.loginStatus(codeSubject(id));
        return { source: 'enrolment', login: user.id, failures, max, retryAfter };
      })),
      clear: async (user) => {
        await Promise.all((await invitationsOf(user)).map((id) => this.clearTotpLock(id)));
      },
    };
  }

  /**
   * Ends the invitation as enrolled, only if it is still live: of two tabs finishing at once, the second finds it
   * used and its transaction (with its credential) rolls back. Then the user, the funnel event and the codes.
   */
  private async finish(tx: Queryable, invitation: LiveInvitation, method: EnrolMethod, platform: Platform, mail: string): Promise<string[]> {
    const { rows: [ended] } = await tx.query<{ id: string }>(
      `UPDATE invitations SET state = 'enrolled', enrolled_at = now(), method = $2, platform = $3, converted_mail = $4, next_reminder_at = NULL
       WHERE id = $1 AND state = 'sent' AND expires_at > now() RETURNING id`,
      [invitation.invitationId, method, platform, mail],
    );
    if (!ended) throw new InvitationClosedError();
    await tx.query(
      `UPDATE users SET state = 'enrolled', enrolled_method = $2, enrolled_at = now(), updated_at = now() WHERE id = $1`,
      [invitation.userId, method],
    );
    await tx.query(
      `INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, method, mail, detail)
       VALUES ('enrolled', $1, $2, $3, $4, $5, $6, $7)`,
      [invitation.userId, invitation.invitationId, invitation.waveId, invitation.campaignId, method, mail, { platform }],
    );
    return this.recoveryCodes.issue(tx, invitation.userId);
  }
}

/** The enrolment page's code count is kept per invitation. */
function codeSubject(invitationId: string): string {
  return `invitation:${invitationId}`;
}
