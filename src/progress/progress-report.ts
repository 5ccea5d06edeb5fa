export const PATHS = ['bulk_hash', 'jit', 'reset'] as const;
export const USER_STATES = ['pending', 'migrated', 'enrolled', 'disabled'] as const;
export type PathName = (typeof PATHS)[number];
export type UserState = (typeof USER_STATES)[number];

export interface LegacyDay {
  date: string;
  /** Verifications that asked the legacy system. */
  legacy_calls: number;
  verifications: number;
}

export interface HelpdeskDay {
  date: string;
  contacts: number;
  /** capacity_per_hour × the staffed hours of that weekday. */
  capacity: number;
}

export interface CampaignHelpdesk {
  campaign_id: string;
  name: string;
  state: string;
  capacity_per_hour: number;
  days: HelpdeskDay[];
  contacts: number;
  capacity: number;
  /** contacts ÷ capacity over the window. */
  load: number | null;
}

/** GET /api/v1/progress: how far the migration is from switching off the legacy system. */
export interface ProgressReport {
  generated_at: string;
  users: {
    total: number;
    by_path: Record<PathName, Record<UserState, number> & { total: number }>;
    by_state: Record<UserState, number>;
  };
  /** Users who no longer need the legacy system (migrated or enrolled), against every user not disabled. */
  off_legacy: { users: number; share: number | null };
  legacy_dependence: { jit_not_migrated: number; bulk_hash_not_signed_in: number; reset_not_enrolled: number; total: number };
  legacy_verifications: { window_days: number; days: LegacyDay[]; legacy_calls: number; per_day_last_7: number; per_day_previous_7: number };
  /** When no user depends on the legacy system any more, at the pace of the last `window_days`. */
  projection: { window_days: number; moved_off: number; per_day: number; remaining: number; days_left: number | null; projected_date: string | null };
  helpdesk: { window_days: number; campaigns: CampaignHelpdesk[] };
  /**
   * Who each user's sign-in depends on (every user not disabled falls in one): the target platform that took the
   * password over (`handed_off`, issue 12), else the legacy system (as in `legacy_dependence`), else cutover.
   * When `legacy` is 0 the legacy system can be switched off; when `cutover` is 0 too, so can cutover.
   */
  ownership: { target_platform: number; legacy: number; cutover: number; by_platform: Record<string, number> };
}
