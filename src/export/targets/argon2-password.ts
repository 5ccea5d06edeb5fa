import { parseArgon2String, type Argon2HashString } from '../../identity/hashes/argon2-phc-string.ts';

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/**
 * The stored password as the PHC string's parts, and in the reference encoding (`m=…,t=…,p=…`, unpadded Base64),
 * or why a target cannot take it. node-argon2 writes its parameters as `m,p,t`; the reference decoder
 * (argon2's `decode_string`, which other platforms' verifiers follow) wants `m,t,p`, so targets get that order.
 */
export function parseStoredPassword(encoded: string): { ok: true; parts: Argon2HashString; phc: string } | { ok: false; reason: string } {
  let parts: Argon2HashString;
  try {
    parts = parseArgon2String('argon2', encoded, 'lenient');
  } catch (error) {
    return { ok: false, reason: `the stored hash does not parse as an argon2 PHC string (${(error as Error).message})` };
  }
  if (parts.variant !== 'argon2id') return { ok: false, reason: `the stored hash is ${parts.variant}, not argon2id` };
  if (parts.data.length > 0) return { ok: false, reason: 'the stored hash uses associated data, which no target verifier takes' };
  const phc = `$argon2id$v=${parts.version}$m=${parts.memoryKiB},t=${parts.passes},p=${parts.lanes}$${b64(parts.salt)}$${b64(parts.hash)}`;
  return { ok: true, parts, phc };
}
