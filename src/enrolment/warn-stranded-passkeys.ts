import type { Logger } from '../observability/logger.ts';
import type { Queryable } from '../storage/db.ts';
import type { RelyingParty } from './relying-party.ts';

/**
 * Live passkeys made under an RP ID other than the configured one, counted per RP ID (NULL rp_id: made under
 * BASE_URL's host, before migration 013). A passkey is bound to its RP ID for good (WebAuthn Level 2 §6.1: the
 * authenticator data carries its hash), so after WEBAUTHN_RP_ID changes, browsers no longer offer them and sign-in
 * no longer looks them up.
 */
export async function countStrandedPasskeys(db: Queryable, rp: RelyingParty): Promise<Map<string, number>> {
  const { rows } = await db.query<{ rp_id: string; n: number }>(
    `SELECT coalesce(rp_id, $1) AS rp_id, count(*)::int AS n FROM webauthn_credentials
     WHERE revoked_at IS NULL AND coalesce(rp_id, $1) <> $2 GROUP BY 1 ORDER BY 2 DESC, 1`,
    [new URL(rp.origin).hostname, rp.rpID],
  );
  return new Map(rows.map((row) => [row.rp_id, row.n]));
}

/** Startup's one warning line when any live passkey cannot sign in under WEBAUTHN_RP_ID; it never stops startup. */
export async function warnStrandedPasskeys(db: Queryable, rp: RelyingParty, logger: Logger): Promise<number> {
  const stranded = await countStrandedPasskeys(db, rp);
  const total = [...stranded.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return 0;
  const where = [...stranded].map(([rpId, n]) => `${n} under ${rpId}`).join(', ');
  logger.warn(
    { strandedPasskeys: total, byRpId: Object.fromEntries(stranded), rpId: rp.rpID },
    `${total} live passkey${total === 1 ? ' was' : 's were'} made under another RP ID than WEBAUTHN_RP_ID=${rp.rpID} (${where}): they cannot sign in any more; those users need a new invitation, or set WEBAUTHN_RP_ID back`,
  );
  return total;
}
