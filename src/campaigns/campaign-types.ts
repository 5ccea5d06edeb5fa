import type { MigrationPath } from '../migration/import/export-row.ts';

/** One staffed period: ISO weekdays (1 = Monday … 7 = Sunday), local "HH:MM" start and exclusive end ("24:00" = end of day). */
export interface StaffedHours {
  days: number[];
  start: string;
  end: string;
}

export interface Helpdesk {
  capacity_per_hour: number;
  /** The prior share of invitees who contact the help desk, in (0, 1]. */
  contact_rate: number;
  timezone: string;
  hours: StaffedHours[];
}

export interface CampaignInput {
  name: string;
  locale: string;
  link_ttl_hours: number;
  reminders_after_hours: number[];
  methods: Array<'passkey' | 'totp'>;
  max_per_hour: number | null;
  helpdesk: Helpdesk;
}

export interface ContactRate {
  prior: number;
  /** Contacts ÷ invitations sent at least 24 hours ago (contacts follow mail by hours), or null before any. */
  observed: number | null;
  /** The Beta posterior mean the throttle uses. */
  effective: number;
  invitations_sent: number;
  contacts: number;
  contacts_last_hour: number;
}

export interface CampaignView extends CampaignInput {
  id: string;
  state: 'active' | 'cancelled';
  send_rate_per_hour: number;
  contact_rate_learned: ContactRate;
  /** The throttle in words, for people: "20 tickets an hour at 5% is 400 invitations an hour, in staffed hours". */
  throttle_explanation: string;
  /** Why sending is held right now, if it is ("outside staffed hours", "contacts in the last hour reached capacity"). */
  holding: string | null;
  created_at: string;
  updated_at: string;
}

export interface CohortFilter {
  /** Defaults to ["reset"]: bulk_hash and jit users can sign in with their password and need no invitation. */
  paths?: MigrationPath[];
  last_login_after?: string;
  last_login_before?: string;
  email_domains?: string[];
  locales?: string[];
  legacy_ids?: string[];
}

export interface WaveInput {
  name: string;
  cohort: CohortFilter;
  size?: number | null;
  start_at?: string;
}

export type WaveState = 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface WaveStatus {
  id: string;
  campaign_id: string;
  name: string;
  state: WaveState;
  targeted: number;
  queued: number;
  sent: number;
  failed: number;
  bounced: number;
  /** invitations whose recipient marked the mail as spam (a mail provider's complaint): the address is suppressed */
  complained: number;
  clicked: number;
  enrolled: number;
  expired: number;
  cancelled: number;
  reminders_sent: number;
  send_rate_per_hour: number;
  /** ISO time when the last invitation should be sent at the current rate and staffed hours; null when done. */
  eta: string | null;
  start_at: string;
  cohort: CohortFilter;
  size: number | null;
  warnings: string[];
  created_at: string;
}

export interface WavePreview {
  count: number;
  sample: Array<{ id: string; legacy_id: string; email: string | null; name: string | null; locale: string | null; last_login_at: string | null }>;
  warnings: string[];
}

export interface ForecastDay {
  date: string;
  invitations: number;
  expected_tickets: number;
  capacity: number;
}

export interface CampaignForecast {
  remaining: number;
  days: ForecastDay[];
  end_date: string | null;
}
