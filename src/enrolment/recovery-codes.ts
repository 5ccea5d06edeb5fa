import { createHmac, randomInt } from 'node:crypto';
import { deriveKey } from '../identity/secret-box.ts';
import type { Queryable } from '../storage/db.ts';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L or U: codes get read aloud and typed from paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const GROUP = 5;

/** A code such as `K7QMX-3RT9P`: 10 symbols from 30, about 49 bits, enough against guessing under rate limits. */
export function newRecoveryCode(): string {
  const symbols = Array.from({ length: GROUP * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${symbols.slice(0, GROUP)}-${symbols.slice(GROUP)}`;
}

/** What the user typed, as stored: upper case, no spaces or dashes, and the look-alikes read as meant. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, '').replace(/0/g, 'O').replace(/[1IL]/g, 'I');
}

/**
 * Recovery codes are stored as HMAC-SHA-256 under a key from CUTOVER_SECRET: they are random, so a keyed fast hash
 * is enough, and a database dump alone cannot be used to test guesses.
 */
export class RecoveryCodes {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = deriveKey(secret, 'cutover recovery codes v1');
  }

  hash(code: string): string {
    return createHmac('sha256', this.key).update(normaliseRecoveryCode(code)).digest('base64url');
  }

  /** Makes a fresh set for the user, revoking any codes left from before. Returns the codes to show once. */
  async issue(tx: Queryable, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.query('UPDATE recovery_codes SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [userId]);
    await tx.query(
      'INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])',
      [userId, codes.map((code) => this.hash(code))],
    );
    return codes;
  }

  /** Uses up one code; true if it was live. Two requests with the same code: exactly one wins. */
  async consume(db: Queryable, userId: string, typed: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE recovery_codes SET used_at = now()
       WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1 FOR UPDATE)
         AND used_at IS NULL`,
      [userId, this.hash(typed)],
    );
    return (rowCount ?? 0) > 0;
  }

  async remaining(db: Queryable, userId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [userId]);
    return rows[0]?.n ?? 0;
  }
}
