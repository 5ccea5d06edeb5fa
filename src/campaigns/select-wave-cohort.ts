import type { CohortFilter } from './campaign-types.ts';

export interface CohortSql {
  /** FROM/WHERE clause over `users u`, for counting, sampling and inserting. */
  where: string;
  values: unknown[];
  /** Users refused at sign-in as reset-path first (they are trying to get in), then the most recently active. */
  orderBy: string;
}

/**
 * The users a wave may target: pending (never migrated, enrolled or disabled), holding no live invitation, whose
 * address is not suppressed, and matching every filter given. `paths` defaults to reset: bulk_hash and jit users can still sign in with their
 * password.
 */
export function selectWaveCohort(cohort: CohortFilter, firstParam = 1): CohortSql {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${firstParam + values.length - 1}`;
  };
  const conditions = [
    "u.state = 'pending'",
    `u.path = ANY(${param(cohort.paths ?? ['reset'])}::text[])`,
    "NOT EXISTS (SELECT 1 FROM invitations live WHERE live.user_id = u.id AND live.state IN ('queued', 'sending', 'sent'))",
    // a bounced or complaining address gets no new wave until support lifts its suppression
    "NOT EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email = lower(u.email) AND s.lifted_at IS NULL)",
  ];
  if (cohort.last_login_after) conditions.push(`u.last_login_at >= ${param(cohort.last_login_after)}::timestamptz`);
  if (cohort.last_login_before) conditions.push(`u.last_login_at < ${param(cohort.last_login_before)}::timestamptz`);
  if (cohort.email_domains?.length) {
    conditions.push(`lower(split_part(u.email, '@', 2)) = ANY(${param(cohort.email_domains.map((d) => d.replace(/^@/, '')))}::text[])`);
  }
  if (cohort.locales?.length) {
    // "de" matches de, de-AT, de-CH; "de-AT" matches only itself.
    conditions.push(`(lower(u.locale) = ANY(${param(cohort.locales.map((l) => l.toLowerCase()))}::text[]) OR lower(split_part(u.locale, '-', 1)) = ANY(${param(cohort.locales.map((l) => l.toLowerCase()))}::text[]))`);
  }
  if (cohort.legacy_ids?.length) conditions.push(`u.legacy_id = ANY(${param(cohort.legacy_ids)}::text[])`);
  return {
    where: `FROM users u WHERE ${conditions.join(' AND ')}`,
    values,
    orderBy: 'u.refused_signin_at DESC NULLS LAST, u.last_login_at DESC NULLS LAST, u.id',
  };
}
