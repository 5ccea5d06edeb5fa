export const ROLES = ['admin', 'comms', 'support', 'verifier'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: an API token (or the configured admin token), or a signed-in staff member. Every audit entry names one. */
export interface Principal {
  tokenId: string | null;
  name: string;
  role: Role;
  /** Set when a staff session made the request; `name` is then the staff member's email. */
  staffId?: string;
}
