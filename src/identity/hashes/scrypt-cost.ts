import { scrypt as scryptCallback, scryptSync, type ScryptOptions } from 'node:crypto';
import { isMainThread } from 'node:worker_threads';
import { promisify } from 'node:util';
import { HASH_LIMITS } from './hash-errors.ts';
import { noteCheckCost } from './check-cost.ts';
import { dangerousHash, malformedHash } from './hash-error-reasons.ts';

/** scrypt's cost parameters (RFC 7914 §2): CPU/memory cost N, block size r, parallelization p. */
export interface ScryptCost {
  n: number;
  r: number;
  p: number;
}

/** Memory scrypt needs, 128·N·r bytes, and work, N·r·p: both capped at what N = 2^20, r = 8, p = 1 costs. */
const MAX_MEMORY_BYTES = 128 * HASH_LIMITS.scryptMaxN * 8;
const MAX_WORK = HASH_LIMITS.scryptMaxN * 8;

/**
 * Throws `MalformedHashError` for parameters scrypt itself refuses and `DangerousHashParametersError` for ones that
 * would make a single check a denial of service.
 */
export function checkScryptCost(label: string, { n, r, p }: ScryptCost): void {
  const fail = (reason: string) => malformedHash(label, reason);
  // RFC 7914: "N … must be larger than 1, a power of 2, and less than 2^(128 * r / 8)".
  if (!Number.isSafeInteger(n) || n < 2 || !isPowerOfTwo(n)) {
    throw fail(`N must be a power of 2 above 1, got ${n}`);
  }
  if (!Number.isSafeInteger(r) || r < 1) throw fail(`r must be a positive integer, got ${r}`);
  if (!Number.isSafeInteger(p) || p < 1) throw fail(`p must be a positive integer, got ${p}`);
  if (16 * r < 53 && n >= 2 ** (16 * r)) throw fail(`N must be below 2^(16·r) = 2^${16 * r}, got ${n}`);
  // OpenSSL's SCRYPT_PR_MAX, from RFC 7914's bound on p.
  if (r * p >= 2 ** 30) throw fail(`r · p must be below 2^30, got ${r * p}`);

  const dangerous = (reason: string) => dangerousHash(label, reason);
  if (n > HASH_LIMITS.scryptMaxN) {
    throw dangerous(`N = 2^${Math.log2(n)} is above the ceiling of 2^${Math.log2(HASH_LIMITS.scryptMaxN)}`);
  }
  if (128 * n * r > MAX_MEMORY_BYTES) {
    throw dangerous(`128·N·r = ${128 * n * r} bytes of memory is above the ceiling of ${MAX_MEMORY_BYTES}`);
  }
  if (n * r * p > MAX_WORK) throw dangerous(`N·r·p = ${n * r * p} is above the ceiling of ${MAX_WORK}`);
  noteCheckCost({ kernel: 'scrypt', work: n * r * p, parameter: `N=2^${Math.log2(n)}, r=${r}, p=${p}` });
}

function isPowerOfTwo(n: number): boolean {
  return 2 ** Math.round(Math.log2(n)) === n;
}

const scryptAsync = promisify<string | Buffer, Buffer, number, ScryptOptions, Buffer>(scryptCallback);

/**
 * scrypt with room for exactly what OpenSSL allocates: 128·r·(N + 2) + 128·r·p bytes. In libuv's thread pool on
 * the main thread; on a hash-check worker's own (lower-priority) thread there, as `derivePbkdf2` does.
 */
export function scryptKey(password: Buffer, salt: Buffer, keyLength: number, { n, r, p }: ScryptCost): Promise<Buffer> {
  const maxmem = 128 * r * (n + 2 + p) + 1024 * 1024;
  if (!isMainThread) return Promise.resolve(scryptSync(password, salt, keyLength, { N: n, r, p, maxmem }));
  return scryptAsync(password, salt, keyLength, { N: n, r, p, maxmem });
}
