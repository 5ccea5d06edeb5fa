import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { isMainThread } from 'node:worker_threads';
import { promisify } from 'node:util';
import { HASH_LIMITS } from './hash-errors.ts';
import { noteCheckCost } from './check-cost.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';

const pbkdf2Async = promisify(pbkdf2);

/** Output size in bytes of each digest the PBKDF2 formats here name. */
export const DIGEST_BYTES = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 } as const;
export type DigestName = keyof typeof DIGEST_BYTES;

export function isDigestName(name: string): name is DigestName {
  return Object.hasOwn(DIGEST_BYTES, name);
}

/** Longest salt accepted; passlib's `max_salt_size` for its PBKDF2 hashes. Longer is an export bug, not a salt. */
export const MAX_SALT_BYTES = 1024;

/** Longest derived key accepted where the format lets the export choose it (RustCrypto's PHC limit is 64). */
export const MAX_KEY_BYTES = 1024;

/**
 * On the main thread, on libuv's thread pool, so a sign-in does not stall the event loop. In a hash-check worker
 * (hash-check-pool.ts), on the worker's own thread: the pool lowers its priority, so requests come first.
 */
export function derivePbkdf2(
  password: Buffer,
  salt: Buffer,
  iterations: number,
  keyLength: number,
  digest: DigestName,
): Promise<Buffer> {
  if (!isMainThread) return Promise.resolve(pbkdf2Sync(password, salt, iterations, keyLength, digest));
  return pbkdf2Async(password, salt, iterations, keyLength, digest);
}

/**
 * PBKDF2 runs the whole iteration count once per `digest`-sized block of derived key (RFC 8018 §5.2), so the
 * work of one check is iterations × blocks. Both are capped by `HASH_LIMITS.maxRounds`.
 */
export function assertPbkdf2Cost(label: string, iterations: number, keyLength: number, digest: DigestName): void {
  if (iterations > HASH_LIMITS.maxRounds) {
    throw dangerousHash(label, `${iterations} iterations exceed the limit of ${HASH_LIMITS.maxRounds}`);
  }
  const blocks = Math.ceil(keyLength / DIGEST_BYTES[digest]);
  if (iterations * blocks > HASH_LIMITS.maxRounds) {
    throw dangerousHash(
      label,
      `a ${keyLength}-byte key needs ${blocks} PBKDF2-${digest} blocks of ${iterations} iterations each, ` +
        `over the limit of ${HASH_LIMITS.maxRounds} in total`,
    );
  }
  const parameter = blocks > 1 ? `${iterations} iterations × ${blocks} blocks` : `${iterations} iterations`;
  noteCheckCost({ kernel: `pbkdf2-${digest}`, work: iterations * blocks, parameter });
}

/**
 * Reads a decimal count from a hash string. `leadingZeros: 'reject'` where the tool refuses them or re-renders
 * the number and compares strings (passlib, Django); Werkzeug's `int()` accepts them.
 */
export function parseCount(
  label: string,
  field: string,
  text: string,
  leadingZeros: 'reject' | 'allow',
): number {
  if (!/^[0-9]+$/.test(text)) {
    throw malformedHash(label, `${field} must be a positive integer, got ${describeValue(text)}`);
  }
  if (leadingZeros === 'reject' && text.length > 1 && text.startsWith('0')) {
    throw malformedHash(label, `${field} must not have leading zeros, got ${describeValue(text)}`);
  }
  const count = Number(text);
  if (count < 1) throw malformedHash(label, `${field} must be at least 1, got ${describeValue(text)}`);
  return count;
}
