// What every writer refuses the same way: passkeys made under another RP ID, credential kinds the operator left
// out, and recovery codes (which cutover cannot give back). Each refusal names the user, the credential and why.
import type { ExportPasskey, ExportRefusal, ExportUser } from '../export-user.ts';
import type { ExportContext } from '../target-writer.ts';

export function refusal(user: ExportUser, credential: ExportRefusal['credential'], reason: string): ExportRefusal {
  return { userId: user.id, legacyId: user.legacyId, credential, reason };
}

export function omittedReason(kind: 'totp' | 'passkey', platform: string): string {
  return `left out on request (omit ${kind}): this ${platform} is not to import ${kind === 'totp' ? 'authenticator-app secrets' : 'passkeys'}`;
}

/**
 * The passkeys a target may take: not left out by the operator, and made under the RP ID the target uses. A passkey
 * is scoped to the RP ID it was created with (WebAuthn Level 3 §5.1.3, "RP ID"); an authenticator will not use it
 * for any other, so it cannot move to a platform with a different one.
 */
export function portablePasskeys(user: ExportUser, context: ExportContext, platform: string): { passkeys: ExportPasskey[]; refusals: ExportRefusal[] } {
  if (context.omit.has('passkey')) {
    return { passkeys: [], refusals: user.passkeys.map(() => refusal(user, 'passkey', omittedReason('passkey', platform))) };
  }
  const passkeys: ExportPasskey[] = [];
  const refusals: ExportRefusal[] = [];
  for (const passkey of user.passkeys) {
    if (passkey.rpId === context.targetRpId) passkeys.push(passkey);
    else refusals.push(refusal(user, 'passkey', `passkey ${passkey.credentialId} was made under RP ID "${passkey.rpId}" and ${platform} uses "${context.targetRpId}": a passkey works only under the RP ID it was made for`));
  }
  return { passkeys, refusals };
}

/**
 * Users who enrolled a passkey or an authenticator app in cutover were given recovery codes. cutover keeps only an
 * HMAC of each code, so the codes themselves cannot be exported, even where the platform imports them.
 */
export function recoveryCodesRefusal(user: ExportUser, platform: string): ExportRefusal[] {
  if (!user.totpSecretBase32 && user.passkeys.length === 0) return [];
  return [refusal(user, 'recovery_codes', `cutover stores only HMACs of recovery codes, so they cannot be exported: the codes from cutover will not work in ${platform}, and the user sets up new ones there`)];
}

/**
 * The argon2id hash in the canonical PHC form `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`, the one
 * the reference implementation and RFC 9106's users write. The `argon2` package writes its parameters in another
 * order (`m=19456,p=1,t=2`), which a strict reader such as Kratos (hash_comparator.go, `fmt.Sscanf(…,
 * "m=%d,t=%d,p=%d")`) cannot parse, so they are put back in order. Anything else is refused, never guessed at.
 */
export function argon2idHash(user: ExportUser): { hash: string | null; refusals: ExportRefusal[] } {
  if (!user.passwordHash) return { hash: null, refusals: [] };
  const canonical = canonicalArgon2id(user.passwordHash);
  if (canonical) return { hash: canonical, refusals: [] };
  return { hash: null, refusals: [refusal(user, 'password', 'the stored password hash is not an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)')] };
}

export function canonicalArgon2id(phc: string): string | null {
  const match = /^\$argon2id\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return null;
  const params = new Map(match[1]!.split(',').map((kv) => kv.split('=') as [string, string]));
  if (params.size !== 3 || !params.has('m') || !params.has('t') || !params.has('p')) return null;
  return `$argon2id$v=19$m=${params.get('m')},t=${params.get('t')},p=${params.get('p')}$${match[2]}$${match[3]}`;
}
