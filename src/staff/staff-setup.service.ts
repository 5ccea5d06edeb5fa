import QRCode from 'qrcode';
import type { Db } from '../storage/db.ts';
import type { FieldProblem } from '../http/app-error.ts';
import { InvalidRequestError } from '../http/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { hashPassword } from '../identity/argon2id-password.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { newTotpSecret, totpUri, verifyTotpCode } from '../identity/totp.ts';
import { hashTokenSecret } from '../tokens/token-secret.ts';
import { checkStaffPassword } from './check-staff-password.ts';
import { SetupLinkInvalidError } from './staff-errors.ts';
import type { StaffIdentity, StaffRole } from './staff-types.ts';

/** What the setup page shows: who is setting up, and the authenticator secret as a QR code and as text. */
export interface SetupPage {
  email: string;
  role: StaffRole;
  secret: string;
  /** The otpauth:// URI as an SVG QR code (presentation attributes only, so the strict CSP allows it inline). */
  qrSvg: string;
  expiresAt: Date;
}

interface PendingRow {
  id: string; email: string; role: StaffRole; totp_secret: string | null; setup_expires_at: Date;
}

/** Sealed TOTP secrets are bound to their row, so a ciphertext copied onto another account does not open. */
export const totpContext = (staffId: string) => `staff:${staffId}`;

/**
 * The one-time setup link: the staff member picks a password and connects an authenticator app. The TOTP secret
 * is made when the page first opens and kept (sealed) on the row, so reloading the page shows the same QR code.
 */
export class StaffSetupService {
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly issuer: string) {}

  async open(token: string): Promise<SetupPage> {
    const row = await this.pending(token);
    let secret: string;
    if (row.totp_secret) secret = this.box.decrypt(row.totp_secret, totpContext(row.id));
    else {
      secret = newTotpSecret();
      const { rows } = await this.db.query<{ totp_secret: string }>(
        // Two tabs opening at once: the first secret written wins, and both show it.
        'UPDATE staff SET totp_secret = coalesce(totp_secret, $2) WHERE id = $1 RETURNING totp_secret',
        [row.id, this.box.encrypt(secret, totpContext(row.id))],
      );
      secret = this.box.decrypt(rows[0]!.totp_secret, totpContext(row.id));
    }
    const qrSvg = await QRCode.toString(totpUri(this.issuer, row.email, secret), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { email: row.email, role: row.role, secret, qrSvg, expiresAt: row.setup_expires_at };
  }

  /** Sets the password and the authenticator in one step; the link stops working when this succeeds. */
  async complete(token: string, input: { password: string; confirm: string; code: string }, ip?: string): Promise<StaffIdentity> {
    const row = await this.pending(token);
    const problems: FieldProblem[] = [];
    const weak = checkStaffPassword(input.password, row.email);
    if (weak) problems.push({ field: 'password', reason: `The password ${weak}` });
    else if (input.password !== input.confirm) problems.push({ field: 'confirm', reason: 'The two passwords are not the same' });
    const step = row.totp_secret ? await verifyTotpCode(this.box.decrypt(row.totp_secret, totpContext(row.id)), input.code, null) : null;
    if (step === null) problems.push({ field: 'code', reason: 'That code is not right: enter the 6 digits your app shows now' });
    if (problems.length > 0) throw new InvalidRequestError(problems, 'Setup is not complete yet');

    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<StaffIdentity>(
        `UPDATE staff SET password_hash = $3, totp_last_step = $4, setup_token_hash = NULL, setup_expires_at = NULL, failed_logins = 0
         WHERE id = $1 AND setup_token_hash = $2 AND disabled_at IS NULL RETURNING id, email, role`,
        [row.id, hashTokenSecret(token), passwordHash, step],
      );
      const staff = rows[0];
      if (!staff) throw new SetupLinkInvalidError(); // used in another tab a moment ago
      await recordAudit(tx, { actor: { tokenId: null, name: staff.email, role: staff.role, staffId: staff.id }, action: 'staff.setup_complete', target: `staff:${staff.id}`, ip });
      return staff;
    });
  }

  private async pending(token: string): Promise<PendingRow> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new SetupLinkInvalidError();
    const { rows } = await this.db.query<PendingRow>(
      `SELECT id, email, role, totp_secret, setup_expires_at FROM staff
       WHERE setup_token_hash = $1 AND setup_expires_at > now() AND disabled_at IS NULL`,
      [hashTokenSecret(token)],
    );
    if (!rows[0]) throw new SetupLinkInvalidError();
    return rows[0];
  }
}
