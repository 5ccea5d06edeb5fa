import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/db.ts';
import type { Logger } from '../observability/logger.ts';
import type { Principal } from '../http/roles.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { NotFoundError } from '../http/app-error.ts';
import { hashTokenSecret } from '../tokens/token-secret.ts';
import { CannotDisableSelfError, StaffExistsError } from './staff-errors.ts';
import { renderSetupMail } from './render-setup-mail.ts';
import type { CreatedStaff, StaffIdentity, StaffRole, StaffView } from './staff-types.ts';
import { isUuid } from '../storage/is-uuid.ts';

export const SETUP_LINK_HOURS = 72;

export interface StaffServiceOptions {
  baseUrl: string;
  orgName: string;
  /**
   * Answer the setup link in the API as well as mailing it. Handy in development; in production the link goes only
   * by mail unless there is no transport or sending failed.
   * @defaultValue false
   */
  revealSetupLinks?: boolean;
  /** Absent until a mail transport is wired: then every setup link is answered in the API. */
  mail?: MailTransport;
}

const VIEW_COLUMNS = `id, email, role, created_by, created_at, last_login_at, setup_expires_at, disabled_at, locked_until,
  password_hash IS NOT NULL AND setup_token_hash IS NULL AS set_up`;

interface StaffRow {
  id: string; email: string; role: StaffRole; created_by: string | null; created_at: Date; last_login_at: Date | null;
  setup_expires_at: Date | null; disabled_at: Date | null; locked_until: Date | null; set_up: boolean;
}

function toView(row: StaffRow): StaffView {
  const state = row.disabled_at ? 'disabled' : !row.set_up ? 'invited' : row.locked_until && row.locked_until > new Date() ? 'locked' : 'active';
  return {
    id: row.id, email: row.email, role: row.role, state, created_by: row.created_by,
    created_at: row.created_at.toISOString(), last_login_at: row.last_login_at?.toISOString() ?? null,
    setup_expires_at: row.set_up ? null : row.setup_expires_at?.toISOString() ?? null, disabled_at: row.disabled_at?.toISOString() ?? null,
  };
}


/** Staff accounts: created by an admin with a one-time setup link, listed, disabled. */
export class StaffService {
  constructor(private readonly db: Db, private readonly logger: Logger, private readonly options: StaffServiceOptions) {}

  async create(input: { email: string; role: StaffRole }, actor: Principal, ip?: string): Promise<CreatedStaff> {
    // 32 random bytes, base64url; only the SHA-256 is stored (a high-entropy token needs no slow hash).
    const token = randomBytes(32).toString('base64url');
    const email = input.email.trim();
    const row = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<StaffRow>(
        `INSERT INTO staff (email, role, setup_token_hash, setup_expires_at, created_by)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)
         ON CONFLICT (lower(email)) DO NOTHING RETURNING ${VIEW_COLUMNS}`,
        [email, input.role, hashTokenSecret(token), SETUP_LINK_HOURS, actor.name],
      );
      if (!rows[0]) throw new StaffExistsError(email);
      await recordAudit(tx, { actor, action: 'staff.create', target: `staff:${rows[0].id}`, ip, details: { email, role: input.role } });
      return rows[0];
    });
    const setupUrl = `${this.options.baseUrl}/console/setup/${token}`;
    const mailed = await this.mailSetupLink(row, setupUrl, actor);
    const reveal = !mailed || this.options.revealSetupLinks === true;
    return { ...toView(row), mailed, ...(reveal ? { setup_url: setupUrl } : {}) };
  }

  async list(): Promise<StaffView[]> {
    const { rows } = await this.db.query<StaffRow>(`SELECT ${VIEW_COLUMNS} FROM staff ORDER BY disabled_at IS NOT NULL, lower(email)`);
    return rows.map(toView);
  }

  async get(id: string): Promise<StaffView> {
    const { rows } = isUuid(id) ? await this.db.query<StaffRow>(`SELECT ${VIEW_COLUMNS} FROM staff WHERE id = $1`, [id]) : { rows: [] };
    if (!rows[0]) throw new NotFoundError('Staff member');
    return toView(rows[0]);
  }

  /** Disabling stops the account at once: sessions re-read the row on every request. */
  async disable(id: string, actor: Principal, ip?: string): Promise<StaffView> {
    if (actor.staffId === id) throw new CannotDisableSelfError();
    await this.get(id);
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<StaffRow>(
        `UPDATE staff SET disabled_at = coalesce(disabled_at, now()), setup_token_hash = NULL WHERE id = $1 RETURNING ${VIEW_COLUMNS}`,
        [id],
      );
      await recordAudit(tx, { actor, action: 'staff.disable', target: `staff:${id}`, ip, details: { email: rows[0]!.email } });
      return toView(rows[0]!);
    });
  }

  /** The live identity behind a session, or null once the account is disabled or gone. */
  async identity(id: string): Promise<StaffIdentity | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.db.query<StaffIdentity>(
      'SELECT id, email, role FROM staff WHERE id = $1 AND disabled_at IS NULL AND password_hash IS NOT NULL',
      [id],
    );
    return rows[0] ?? null;
  }

  private async mailSetupLink(row: StaffRow, setupUrl: string, actor: Principal): Promise<boolean> {
    if (!this.options.mail) return false;
    const message = renderSetupMail({
      to: row.email, role: row.role, orgName: this.options.orgName, invitedBy: actor.name, setupUrl,
      expiresAt: row.setup_expires_at!,
    });
    try {
      await this.options.mail.send(message);
      return true;
    } catch (error) {
      // The account exists either way; the admin gets the link in the answer and can pass it on.
      this.logger.warn({ err: (error as Error).message, staff: row.id }, 'staff setup mail failed');
      return false;
    }
  }
}
