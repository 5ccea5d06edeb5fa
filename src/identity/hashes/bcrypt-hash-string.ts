import { isMainThread } from 'node:worker_threads';
import { hash as nativeBcrypt, hashSync as nativeBcryptSync } from '@node-rs/bcrypt';
import { bytesEqual } from './hash-bytes.ts';
import { noteCheckCost } from './check-cost.ts';
import { HASH_LIMITS } from './hash-errors.ts';
import { eksBlowfish, type BcryptMinor } from './eksblowfish.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';
import { decodeBcryptBase64 } from './strict-encodings.ts';

/** The 31 characters of hash after "$2b$NN$" and the 22 of salt. */
const HASH_AT = 7 + 22;

/**
 * A modular-crypt bcrypt string, `$2b$12$` + 22 characters of salt + 31 characters of hash (60 in all), split and
 * checked the way crypt_blowfish's `BF_crypt` reads it. Shared by plain bcrypt and the Django hashers that wrap it.
 */
export interface BcryptHashString {
  minor: BcryptMinor;
  cost: number;
  salt: Buffer;
  hash: Buffer;
}

export interface BcryptStringRules {
  /** Minors the verifying library accepts; Python's bcrypt package refuses `$2x$` ("Invalid salt"). */
  minors: readonly BcryptMinor[];
}

const ALL_MINORS: readonly BcryptMinor[] = ['a', 'b', 'x', 'y'];

export function parseBcryptString(
  label: string,
  text: string,
  rules: BcryptStringRules = { minors: ALL_MINORS },
): BcryptHashString {
  const fail = (reason: string) => malformedHash(label, reason);
  if (!/^\$2[a-z]\$/.test(text)) {
    throw fail(`must start with "$2a$", "$2b$", "$2x$" or "$2y$", got ${describeValue(text.slice(0, 4))}`);
  }
  const minor = text[2] as BcryptMinor;
  if (!rules.minors.includes(minor)) {
    const allowed = rules.minors.map((m) => `$2${m}$`).join(', ');
    throw fail(`prefix "$2${minor}$" is not one this hasher checks (${allowed})`);
  }
  // crypt_blowfish: two decimal digits, 04..31 ("$2a$03$" and "$2a$32$" give "*0", an error).
  const costText = text.slice(4, 6);
  if (!/^[0-9]{2}$/.test(costText) || text[6] !== '$') {
    throw fail(`cost must be two digits followed by "$", got ${describeValue(text.slice(4, 7))}`);
  }
  const cost = Number(costText);
  if (cost < 4 || cost > 31) throw fail(`cost must be between 04 and 31, got ${costText}`);

  const rest = text.slice(7);
  if (rest.length === 22) throw fail('hash is missing: only the 22-character salt is there');
  if (rest.length !== 53) {
    throw fail(`salt and hash must be 53 characters of bcrypt base64 (22 + 31), got ${rest.length}`);
  }
  // The salt's last character carries 2 bits; crypt_blowfish re-emits it with the other 4 bits cleared, so a stored
  // hash with them set can never compare equal (PHP's password_verify fails it too). The same holds for the hash.
  const salt = decodeBcryptBase64(rest.slice(0, 22));
  if (!salt.ok) throw fail(`salt ${salt.reason}`);
  const hash = decodeBcryptBase64(rest.slice(22));
  if (!hash.ok) throw fail(`hash ${hash.reason}`);

  if (cost > HASH_LIMITS.bcryptMaxCost) {
    throw dangerousHash(label, `cost ${cost} (2^${cost} rounds) is above the ceiling of ${HASH_LIMITS.bcryptMaxCost}`);
  }
  // $2x$ runs on our own EksBlowfish, slower than the native library the others use.
  noteCheckCost({ kernel: minor === 'x' ? 'bcrypt-2x' : 'bcrypt', work: 2 ** cost, parameter: `cost ${cost}` });
  return { minor, cost, salt: salt.bytes, hash: hash.bytes };
}

/**
 * Recomputes the hash for `password` (the exact bytes the original system hashed) and compares in constant time.
 * `$2a$`, `$2b$` and `$2y$` go to @node-rs/bcrypt (native; both are timed in docs/benchmarks.md). It hashes
 * the whole buffer with a NUL after it, so the password is cut at its first NUL first, as crypt_blowfish reads a C
 * string. `$2x$` stays on our EksBlowfish: no library reproduces the sign-extension bug that hashes of that prefix
 * were made with; so does `$2a$` with a 0xff byte (never in UTF-8 text), where its countermeasure can apply.
 */
export async function bcryptMatches(parsed: BcryptHashString, password: Uint8Array): Promise<boolean> {
  if (parsed.minor === 'x' || (parsed.minor === 'a' && password.includes(0xff))) return bytesEqual(await eksBlowfish(password, parsed.salt, parsed.cost, parsed.minor), parsed.hash);
  const nul = password.indexOf(0);
  const key = nul < 0 ? password : password.subarray(0, nul);
  // On libuv's pool from the main thread; on the hash-check worker's own lower-priority thread there.
  const rehashed = isMainThread ? await nativeBcrypt(key, parsed.cost, parsed.salt) : nativeBcryptSync(key, parsed.cost, parsed.salt);
  const recomputed = decodeBcryptBase64(rehashed.slice(HASH_AT));
  return recomputed.ok && bytesEqual(recomputed.bytes, parsed.hash);
}
