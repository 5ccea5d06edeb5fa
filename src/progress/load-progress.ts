import type { Helpdesk } from '../campaigns/campaign-types.ts';
import { staffedMinutesOfDay } from '../campaigns/staffed-hours.ts';
import type { Queryable } from '../storage/db.ts';
import { PATHS, USER_STATES, type CampaignHelpdesk, type LegacyDay, type PathName, type ProgressReport, type UserState } from './progress-report.ts';

/** Days of legacy verifications drawn; days of help-desk contacts; days the pace is measured over. */
export const LEGACY_DAYS = 30;
export const HELPDESK_DAYS = 14;
export const PACE_DAYS = 14;

const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = (now: Date) => Date.parse(`${dateOf(now.getTime())}T00:00:00Z`);
/** The last `n` UTC dates up to today, oldest first. */
const lastDays = (now: Date, n: number) => Array.from({ length: n }, (_, i) => dateOf(today(now) - (n - 1 - i) * DAY_MS));

export async function loadProgress(db: Queryable, now = new Date()): Promise<ProgressReport> {
  const [users, pace, legacy, helpdesk, owners] = await Promise.all([
    db.query<{ path: PathName; state: UserState; users: number }>('SELECT path, state, count(*)::float8 AS users FROM users GROUP BY 1, 2'),
    db.query<{ moved: number }>(
      `SELECT count(*)::float8 AS moved FROM users
       WHERE (state = 'migrated' AND migrated_at >= $1) OR (state = 'enrolled' AND coalesce(enrolled_at, migrated_at, updated_at) >= $1)`,
      [new Date(now.getTime() - PACE_DAYS * DAY_MS)],
    ),
    db.query<{ date: string; legacy_calls: number; verifications: number }>(
      `SELECT (at AT TIME ZONE 'UTC')::date::text AS date, count(*) FILTER (WHERE legacy_called)::float8 AS legacy_calls, count(*)::float8 AS verifications
       FROM verification_events WHERE at >= $1 GROUP BY 1`,
      [new Date(today(now) - (LEGACY_DAYS - 1) * DAY_MS)],
    ),
    loadHelpdesk(db, now),
    // Not handed off and still on the legacy system: the same users legacy_dependence counts.
    db.query<{ platform: string | null; users: number; legacy: number }>(
      `SELECT CASE WHEN handed_off_at IS NOT NULL THEN target_platform END AS platform, count(*)::float8 AS users,
              count(*) FILTER (WHERE handed_off_at IS NULL AND ((path IN ('jit', 'bulk_hash') AND state = 'pending') OR (path = 'reset' AND state IN ('pending', 'migrated'))))::float8 AS legacy
         FROM users WHERE state <> 'disabled' GROUP BY 1`,
    ),
  ]);

  const byPath = Object.fromEntries(PATHS.map((p) => [p, { ...Object.fromEntries(USER_STATES.map((s) => [s, 0])), total: 0 }])) as ProgressReport['users']['by_path'];
  const byState = Object.fromEntries(USER_STATES.map((s) => [s, 0])) as Record<UserState, number>;
  for (const row of users.rows) {
    byPath[row.path][row.state] = row.users;
    byPath[row.path].total += row.users;
    byState[row.state] += row.users;
  }
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const dependence = {
    jit_not_migrated: byPath.jit.pending,
    bulk_hash_not_signed_in: byPath.bulk_hash.pending,
    reset_not_enrolled: byPath.reset.pending + byPath.reset.migrated,
    total: 0,
  };
  dependence.total = dependence.jit_not_migrated + dependence.bulk_hash_not_signed_in + dependence.reset_not_enrolled;
  const active = total - byState.disabled;
  const off = active - dependence.total;

  const legacyByDay = new Map(legacy.rows.map((r) => [r.date, r]));
  const days: LegacyDay[] = lastDays(now, LEGACY_DAYS).map((date) => ({ date, legacy_calls: legacyByDay.get(date)?.legacy_calls ?? 0, verifications: legacyByDay.get(date)?.verifications ?? 0 }));
  const perDay = (list: LegacyDay[]) => Math.round((list.reduce((sum, d) => sum + d.legacy_calls, 0) / list.length) * 10) / 10;

  const moved = pace.rows[0]!.moved;
  const rate = moved / PACE_DAYS;
  const daysLeft = dependence.total === 0 ? 0 : rate > 0 ? Math.ceil(dependence.total / rate) : null;
  return {
    generated_at: now.toISOString(),
    users: { total, by_path: byPath, by_state: byState },
    off_legacy: { users: off, share: active > 0 ? Math.round((off / active) * 10_000) / 10_000 : null },
    legacy_dependence: dependence,
    legacy_verifications: {
      window_days: LEGACY_DAYS, days, legacy_calls: days.reduce((sum, d) => sum + d.legacy_calls, 0),
      per_day_last_7: perDay(days.slice(-7)), per_day_previous_7: perDay(days.slice(-14, -7)),
    },
    projection: {
      window_days: PACE_DAYS, moved_off: moved, per_day: Math.round(rate * 10) / 10, remaining: dependence.total,
      days_left: daysLeft, projected_date: daysLeft === null ? null : dateOf(today(now) + daysLeft * DAY_MS),
    },
    helpdesk: { window_days: HELPDESK_DAYS, campaigns: helpdesk },
    ownership: ownershipOf(owners.rows),
  };
}

/** Contacts a day against capacity, for each campaign that is active or had contacts in the window. */
async function loadHelpdesk(db: Queryable, now: Date): Promise<CampaignHelpdesk[]> {
  const since = new Date(today(now) - (HELPDESK_DAYS - 1) * DAY_MS);
  const [campaigns, contacts] = await Promise.all([
    db.query<{ id: string; name: string; state: string; helpdesk: Helpdesk }>('SELECT id, name, state, helpdesk FROM campaigns ORDER BY created_at, id'),
    db.query<{ campaign_id: string; date: string; contacts: number }>(
      `SELECT campaign_id, (at AT TIME ZONE 'UTC')::date::text AS date, count(*)::float8 AS contacts
       FROM support_contacts WHERE at >= $1 AND campaign_id IS NOT NULL GROUP BY 1, 2`,
      [since],
    ),
  ]);
  const counts = new Map(contacts.rows.map((r) => [`${r.campaign_id} ${r.date}`, r.contacts]));
  const withContacts = new Set(contacts.rows.map((r) => r.campaign_id));
  return campaigns.rows.filter((c) => c.state === 'active' || withContacts.has(c.id)).map((c) => {
    const days = lastDays(now, HELPDESK_DAYS).map((date) => {
      const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      const capacity = Math.round((c.helpdesk.capacity_per_hour * staffedMinutesOfDay(c.helpdesk, weekday)) / 60);
      return { date, contacts: counts.get(`${c.id} ${date}`) ?? 0, capacity };
    });
    const sum = (key: 'contacts' | 'capacity') => days.reduce((total, d) => total + d[key], 0);
    return {
      campaign_id: c.id, name: c.name, state: c.state, capacity_per_hour: c.helpdesk.capacity_per_hour, days,
      contacts: sum('contacts'), capacity: sum('capacity'), load: sum('capacity') > 0 ? Math.round((sum('contacts') / sum('capacity')) * 1000) / 1000 : null,
    };
  });
}

function ownershipOf(rows: Array<{ platform: string | null; users: number; legacy: number }>): ProgressReport['ownership'] {
  const out: ProgressReport['ownership'] = { target_platform: 0, legacy: 0, cutover: 0, by_platform: {} };
  for (const row of rows) {
    if (row.platform === null) {
      out.legacy += row.legacy;
      out.cutover += row.users - row.legacy;
    } else {
      out.target_platform += row.users;
      out.by_platform[row.platform] = row.users;
    }
  }
  return out;
}
