import type { Db } from '../storage/db.ts';
import type { Principal } from '../http/roles.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { verifyDummyPassword, verifyPassword } from '../identity/argon2id-password.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { verifyTotpCode } from '../identity/totp.ts';
import type { VerifyFailureLimiter } from '../migration/verify/verify-failure-limiter.ts';
import { LoginRefusedError, LoginThrottledError } from './staff-errors.ts';
import { totpContext } from './staff-setup.service.ts';
import type { StaffIdentity, StaffRole } from './staff-types.ts';

/** Failed logins before an account locks, and for how long. */
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;

interface LoginRow {
  id: string; email: string; role: StaffRole; password_hash: string; totp_secret: string; totp_last_step: number | null;
  locked: boolean;
}

export interface LoginInput {
  email: string;
  password: string;
  code: string;
}

/**
 * Staff sign-in: email, password and a TOTP code, all three right or one answer for any failure. An unknown email
 * costs the same argon2 time as a wrong password, and counts against the same Redis limits, so neither the answer
 * nor its timing says whether an account exists. Every try is counted (per email and per address) before anything
 * is checked; a success takes its count back.
 */
export class StaffLoginService {
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly limiter: VerifyFailureLimiter) {}

  async login(input: LoginInput, ip?: string): Promise<StaffIdentity> {
    const email = input.email.trim().toLowerCase();
    const wait = await this.limiter.attempt(email, ip);
    if (wait > 0) throw new LoginThrottledError(wait);

    const row = await this.find(email);
    if (!row || row.locked) {
      await verifyDummyPassword(input.password);
      return this.refuse(email, ip, row);
    }
    if (!(await verifyPassword(row.password_hash, input.password))) return this.refuse(email, ip, row);
    const step = await verifyTotpCode(this.box.decrypt(row.totp_secret, totpContext(row.id)), input.code, row.totp_last_step);
    if (step === null) return this.refuse(email, ip, row);

    const staff = await this.db.transaction(async (tx) => {
      // The step check again, in the row: two logins with one code race here, and only one moves the step on.
      const { rows } = await tx.query<StaffIdentity>(
        `UPDATE staff SET totp_last_step = $2, failed_logins = 0, locked_until = NULL, last_login_at = now()
         WHERE id = $1 AND disabled_at IS NULL AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id, email, role`,
        [row.id, step],
      );
      if (rows[0]) await recordAudit(tx, { actor: principal(rows[0]), action: 'staff.login', target: `staff:${row.id}`, ip });
      return rows[0];
    });
    if (!staff) return this.refuse(email, ip, row);
    await this.limiter.succeeded(email, ip);
    return staff;
  }

  /** Audits a logout; the session itself is dropped by the caller. */
  async loggedOut(actor: Principal, ip?: string): Promise<void> {
    await recordAudit(this.db, { actor, action: 'staff.logout', target: `staff:${actor.staffId}`, ip });
  }

  private async find(email: string): Promise<LoginRow | null> {
    const { rows } = await this.db.query<LoginRow>(
      `SELECT id, email, role, password_hash, totp_secret, totp_last_step, coalesce(locked_until > now(), false) AS locked
       FROM staff WHERE lower(email) = $1 AND disabled_at IS NULL AND password_hash IS NOT NULL AND setup_token_hash IS NULL`,
      [email],
    );
    return rows[0] ?? null;
  }

  private async refuse(email: string, ip: string | undefined, row: LoginRow | null): Promise<never> {
    if (row && !row.locked) {
      await this.db.transaction(async (tx) => {
        // The tenth failure locks the account and starts the count again for when the lock ends.
        const { rows } = await tx.query<{ locked: boolean }>(
          `UPDATE staff SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
                  locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
           WHERE id = $1 RETURNING locked_until > now() AS locked`,
          [row.id, LOCK_AFTER_FAILURES, LOCK_MINUTES],
        );
        await recordAudit(tx, { actor: principal(row), action: 'staff.login_failed', target: `staff:${row.id}`, ip });
        if (rows[0]?.locked) await recordAudit(tx, { actor: principal(row), action: 'staff.locked', target: `staff:${row.id}`, ip, details: { minutes: LOCK_MINUTES } });
      });
    }
    throw new LoginRefusedError();
  }
}

function principal(staff: { id: string; email: string; role: StaffRole }): Principal {
  return { tokenId: null, name: staff.email, role: staff.role, staffId: staff.id };
}
