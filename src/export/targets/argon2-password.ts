import { parseArgon2String, type Argon2HashString } from '../../identity/hashes/argon2-phc-string.ts';

/**
 * The stored password as the PHC string's parts, or why a target cannot take it. cutover only stores argon2id
 * (m=19456, t=2, p=1), so a refusal here means a row that was written by something else.
 */
export function parseStoredPassword(encoded: string): { ok: true; parts: Argon2HashString } | { ok: false; reason: string } {
  try {
    const parts = parseArgon2String('argon2', encoded, 'reference');
    if (parts.variant !== 'argon2id') return { ok: false, reason: `the stored hash is ${parts.variant}, not argon2id` };
    return { ok: true, parts };
  } catch (error) {
    return { ok: false, reason: `the stored hash does not parse as an argon2 PHC string (${(error as Error).message})` };
  }
}
