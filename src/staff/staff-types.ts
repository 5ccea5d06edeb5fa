export const STAFF_ROLES = ['admin', 'comms', 'support'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Where an account stands: invited (setup not done), active, locked (too many failed logins), disabled. */
export type StaffState = 'invited' | 'active' | 'locked' | 'disabled';

/** A staff member as the API and the console show them: never a hash, secret or token. */
export interface StaffView {
  id: string;
  email: string;
  role: StaffRole;
  state: StaffState;
  created_by: string | null;
  created_at: string;
  last_login_at: string | null;
  setup_expires_at: string | null;
  disabled_at: string | null;
}

export interface CreatedStaff extends StaffView {
  /** True when the setup link went out by mail. */
  mailed: boolean;
  /** The one-time setup link: answered when no mail transport is configured, mail failed, or outside production. */
  setup_url?: string;
}

/** Who a staff session stands for, re-read from the row on each request so a disabled account stops at once. */
export interface StaffIdentity {
  id: string;
  email: string;
  role: StaffRole;
}
