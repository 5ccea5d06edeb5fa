import type { ExportRefusal, ExportTarget, ExportUser } from './export-user.ts';

export type CredentialKind = 'password' | 'totp' | 'passkey';

/** The last line of an export: what went out, and each thing a target could not take, with the user and why. */
export interface ExportSummary {
  target: ExportTarget;
  since: string | null;
  rp_id: string;
  /** users read from cutover (they hold at least one credential) */
  users_read: number;
  /** users with at least one record in the files */
  users_exported: number;
  /** credentials written into the files, per kind */
  credentials: Record<CredentialKind, number>;
  /** credentials cutover holds that did not go, per kind (refused, or left out on request) */
  not_exported: Record<CredentialKind | 'user', number>;
  /** records per file */
  files: Record<string, number>;
  refusals: Array<{ user_id: string; legacy_id: string; credential: ExportRefusal['credential']; reason: string }>;
  completed: boolean;
  duration_ms: number;
}

export function emptySummary(target: ExportTarget, since: Date | undefined, rpId: string): ExportSummary {
  return {
    target, since: since?.toISOString() ?? null, rp_id: rpId, users_read: 0, users_exported: 0,
    credentials: { password: 0, totp: 0, passkey: 0 }, not_exported: { password: 0, totp: 0, passkey: 0, user: 0 },
    files: {}, refusals: [], completed: false, duration_ms: 0,
  };
}

/**
 * Counts one user into the summary. What the user holds, less what was refused or omitted, is what went out; a
 * `user` refusal means nothing of theirs went.
 */
export function countUser(summary: ExportSummary, user: ExportUser, refusals: ExportRefusal[], omitted: ReadonlySet<string>, recordsWritten: number): void {
  summary.users_read += 1;
  if (recordsWritten > 0) summary.users_exported += 1;
  for (const r of refusals) summary.refusals.push({ user_id: r.userId, legacy_id: r.legacyId, credential: r.credential, reason: r.reason });
  const whole = refusals.some((r) => r.credential === 'user');
  if (whole) summary.not_exported.user += 1;
  const held: Record<CredentialKind, number> = { password: user.passwordHash ? 1 : 0, totp: user.totpSecretBase32 ? 1 : 0, passkey: user.passkeys.length };
  for (const kind of ['password', 'totp', 'passkey'] as const) {
    const gone = whole || omitted.has(kind) ? held[kind] : Math.min(held[kind], refusals.filter((r) => r.credential === kind).length);
    summary.credentials[kind] += held[kind] - gone;
    summary.not_exported[kind] += gone;
  }
}
