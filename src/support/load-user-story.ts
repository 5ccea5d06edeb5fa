import type { Queryable } from '../storage/db.ts';
import { NotFoundError } from '../http/app-error.ts';
import { isUuid } from '../storage/is-uuid.ts';

/** Everything the user page shows, newest first, never a secret or a hash. */
export interface UserStory {
  user: Record<string, unknown> & { id: string; legacy_id: string; email: string | null; path: string; state: string };
  credentials: Array<{ type: string; detail: string | null; created_at: Date | null; last_used_at: Date | null; revoked_at: Date | null }>;
  recovery_codes: { issued: number; left: number; last_issued_at: Date | null };
  invitations: Array<Record<string, unknown> & { id: number; state: string; events: Array<{ stage: string; mail: string | null; at: Date }> }>;
  verifications: Array<{ outcome: string; path: string | null; legacy_called: boolean; platform: string | null; at: Date }>;
  contacts: Array<{ id: number; channel: string; source: string; ticket_id: string | null; reason: string | null; note: string | null; actor: string; at: Date; campaign_name: string | null }>;
  audit: Array<{ id: number; actor: string; role: string | null; action: string; reason: string | null; ip: string | null; details: unknown; at: Date }>;
  /** Why mail no longer goes to the address (a bounce or a complaint, and the provider's words), and past lifts. */
  suppressions: Array<{ reason: string; provider: string; detail: string | null; created_at: Date; lifted_at: Date | null; lifted_by: string | null; lift_reason: string | null }>;
  /** Invitations support sent this user in the last 24 hours (resend and reset), against the daily cap. */
  support_invitations_today: number;
}

const RECENT = 50;

/** Support mails (resend, reset) in the trailing 24 hours, read from the audit log. */
export async function supportInvitationsToday(db: Queryable, userId: string): Promise<number> {
  const { rows: [row] } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND at > now() - interval '24 hours'
       AND action IN ('support.invitation_resend', 'support.enrolment_reset')`,
    [`user:${userId}`],
  );
  return row!.n;
}

export async function loadUserStory(db: Queryable, userId: string): Promise<UserStory> {
  if (!isUuid(userId)) throw new NotFoundError('User');
  const { rows: [user] } = await db.query<UserStory['user']>(
    `SELECT id, legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, path, state,
            enrolled_method, enrolled_at, last_login_at, refused_signin_at, imported_at, migrated_at, created_at,
            handed_off_at, target_platform, legacy_hash_scheme IS NOT NULL AS has_legacy_hash, legacy_hash_scheme
       FROM users WHERE id = $1`,
    [userId],
  );
  if (!user) throw new NotFoundError('User');
  const target = `user:${userId}`;
  const [password, passkeys, totp, codes, invitations, events, verifications, contacts, audit, today, suppressions] = await Promise.all([
    db.query('SELECT scheme, source, created_at, upgraded_at FROM password_credentials WHERE user_id = $1', [userId]),
    db.query(`SELECT device_type, backed_up, platform, transports, created_at, last_used_at, revoked_at
                FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at DESC LIMIT ${RECENT}`, [userId]),
    db.query(`SELECT created_at, last_used_at, revoked_at FROM totp_credentials WHERE user_id = $1 ORDER BY created_at DESC LIMIT ${RECENT}`, [userId]),
    db.query<UserStory['recovery_codes']>(
      `SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS issued, count(*) FILTER (WHERE used_at IS NULL AND revoked_at IS NULL)::int AS left,
              max(created_at) AS last_issued_at FROM recovery_codes WHERE user_id = $1`, [userId]),
    db.query<UserStory['invitations'][number]>(
      `SELECT i.id, i.state, i.wave_id, w.name AS wave_name, w.kind AS wave_kind, i.campaign_id, c.name AS campaign_name,
              i.created_at, i.sent_at, i.last_mail_at, i.clicked_at, i.started_at, i.enrolled_at, i.verified_at, i.reminders_sent,
              i.expires_at, i.expired_at, i.bounced_at, i.complained_at, i.failed_at, i.cancelled_at, i.revoked_at, i.last_error, i.method, i.converted_mail
         FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN campaigns c ON c.id = i.campaign_id
        WHERE i.user_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT ${RECENT}`, [userId]),
    db.query<{ invitation_id: number | null; stage: string; mail: string | null; at: Date }>(
      `SELECT invitation_id, stage, mail, at FROM funnel_events WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT ${RECENT * 10}`, [userId]),
    db.query<UserStory['verifications'][number]>(
      `SELECT outcome, path, legacy_called, platform, at FROM verification_events WHERE user_id = $1 ORDER BY at DESC LIMIT 20`, [userId]),
    db.query<UserStory['contacts'][number]>(
      `SELECT s.id, s.channel, s.source, s.ticket_id, s.reason, s.note, s.actor, s.at, c.name AS campaign_name
         FROM support_contacts s LEFT JOIN campaigns c ON c.id = s.campaign_id WHERE s.user_id = $1 ORDER BY s.at DESC LIMIT ${RECENT}`, [userId]),
    db.query<UserStory['audit'][number]>(
      `SELECT id, actor, role, action, reason, ip, details, at FROM audit_log WHERE target = $1 ORDER BY at DESC, id DESC LIMIT ${RECENT}`, [target]),
    supportInvitationsToday(db, userId),
    db.query<UserStory['suppressions'][number]>(
      `SELECT s.reason, s.provider, e.detail, s.created_at, s.lifted_at, s.lifted_by, s.lift_reason
         FROM mail_suppressions s LEFT JOIN mail_events e ON e.id = s.mail_event_id
        WHERE s.email = lower($1) ORDER BY s.created_at DESC LIMIT ${RECENT}`, [user.email ?? '']),
  ]);

  const credentials: UserStory['credentials'] = [];
  if (user.has_legacy_hash) credentials.push({ type: 'legacy password', detail: `imported ${String(user.legacy_hash_scheme)} hash, replaced at first sign-in`, created_at: null, last_used_at: null, revoked_at: null });
  for (const p of password.rows) credentials.push({ type: 'password', detail: `${p.scheme}, from ${p.source}`, created_at: p.created_at, last_used_at: p.upgraded_at, revoked_at: null });
  for (const k of passkeys.rows) {
    const kind = k.device_type === 'multiDevice' ? 'synced' : 'device-bound';
    credentials.push({ type: 'passkey', detail: [k.platform, kind, k.backed_up ? 'backed up' : null].filter(Boolean).join(', '), created_at: k.created_at, last_used_at: k.last_used_at, revoked_at: k.revoked_at });
  }
  for (const t of totp.rows) credentials.push({ type: 'authenticator app', detail: null, created_at: t.created_at, last_used_at: t.last_used_at, revoked_at: t.revoked_at });
  delete user.legacy_hash_scheme;
  delete user.has_legacy_hash;

  const byInvitation = new Map<number, UserStory['invitations'][number]['events']>();
  for (const e of events.rows) {
    if (e.invitation_id === null) continue;
    const list = byInvitation.get(e.invitation_id) ?? [];
    list.push({ stage: e.stage, mail: e.mail, at: e.at });
    byInvitation.set(e.invitation_id, list);
  }
  return {
    user,
    credentials,
    recovery_codes: codes.rows[0]!,
    invitations: invitations.rows.map((i) => ({ ...i, events: (byInvitation.get(i.id) ?? []).reverse() })),
    verifications: verifications.rows,
    contacts: contacts.rows,
    audit: audit.rows,
    support_invitations_today: today,
    suppressions: suppressions.rows,
  };
}
