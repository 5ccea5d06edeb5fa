import type { LoginRecord } from '../verify/find-login.ts';

/**
 * ARCHITECTURE.md, "Trust on the sign-in path": the legacy system decides only for a pending `jit` user who holds
 * no credential of cutover's. Never for a disabled user, one with an authenticator app (its code would be
 * skipped), one who enrolled a passkey, one who migrated, nor a `bulk_hash` or `reset` user.
 */
export function legacyMayDecide(user: LoginRecord): boolean {
  return user.path === 'jit'
    && user.state === 'pending'
    && user.encoded === null
    && user.legacy_hash === null
    && user.totp_id === null
    && !user.has_passkey;
}
