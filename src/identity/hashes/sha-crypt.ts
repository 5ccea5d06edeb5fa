import { createHash } from 'node:crypto';
import type { HashFamily } from './hash-family.ts';
import { HASH_LIMITS } from './hash-errors.ts';
import { encodeCryptDigest } from './crypt-base64.ts';
import { createCryptFamily, saltAndHashProblem, settingSalt } from './crypt-family.ts';
import { passwordBytes } from './hash-bytes.ts';
import { shaCryptRounds } from './sha-crypt-wasm.ts';
import { noteCheckCost } from './check-cost.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512" ("$5$" / "$6$", glibc, libxcrypt, PHP crypt()).
 * The two differ only in the hash function and in how the final digest is laid out (sha256-crypt.ts,
 * sha512-crypt.ts).
 */
export interface ShaCryptVariant {
  name: 'sha256-crypt' | 'sha512-crypt';
  magic: '$5$' | '$6$';
  algorithm: 'sha256' | 'sha512';
  digestBytes: number;
  hashChars: number;
  /** The spec's b64_from_24bit(B2, B1, B0, n) calls, in output order. */
  groups: readonly (readonly number[])[];
}

const ROUNDS_PREFIX = 'rounds=';
// The spec: without "rounds=<N>$" 5000 rounds; N below 1000 counts as 1000, above 999,999,999 as 999,999,999.
const ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;
const SALT_MAX = 16;
const CUSTOM_ROUNDS = /^rounds=([0-9]+)\$/;

/**
 * crypt(password, setting) as the spec's reference code reads a setting: optional "rounds=N$" (clamped, and kept
 * in the output), then the salt up to "$", at most 16 characters. A full hash works as its own setting.
 */
export function shaCrypt(variant: ShaCryptVariant, password: string, setting: string): string {
  let rest = setting.startsWith(variant.magic) ? setting.slice(variant.magic.length) : setting;
  let rounds = ROUNDS_DEFAULT;
  const custom = CUSTOM_ROUNDS.exec(rest);
  if (custom) {
    rounds = Math.min(Math.max(Number(custom[1]), ROUNDS_MIN), ROUNDS_MAX);
    rest = rest.slice(custom[0].length);
  }
  if (rounds > HASH_LIMITS.maxRounds) {
    throw dangerousHash(variant.name, `${rounds} rounds exceed the limit of ${HASH_LIMITS.maxRounds}`);
  }
  const salt = settingSalt(rest, SALT_MAX);
  const digest = shaCryptDigest(variant, passwordBytes(password), Buffer.from(salt, 'utf8'), rounds);
  const roundsPart = custom ? `${ROUNDS_PREFIX}${rounds}$` : '';
  return `${variant.magic}${roundsPart}${salt}$${encodeCryptDigest(digest, variant.groups)}`;
}

function shaCryptDigest(variant: ShaCryptVariant, key: Buffer, salt: Buffer, rounds: number): Buffer {
  const { algorithm, digestBytes } = variant;
  // Steps 4-8: digest B = H(key, salt, key).
  const b = createHash(algorithm).update(key).update(salt).update(key).digest();
  // Steps 1-3, 9-10: digest A takes the key, the salt, B once per whole block of the key, B's first bytes for
  // the rest of the key.
  const a = createHash(algorithm).update(key).update(salt);
  let left = key.length;
  for (; left > digestBytes; left -= digestBytes) a.update(b);
  a.update(b.subarray(0, left));
  // Step 11: for each bit of the key's length, lowest first, "if the digit is 1 add digest B ... if 0 the key".
  for (let bits = key.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : key);
  const c = a.digest();

  // Steps 13-16: P is H(key repeated key-length times), stretched or cut to the key's length.
  const dp = createHash(algorithm);
  for (let i = 0; i < key.length; i++) dp.update(key);
  const p = repeatTo(dp.digest(), key.length);
  // Steps 17-20: S is H(salt repeated 16 + A[0] times), cut to the salt's length.
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + c[0]!; i++) ds.update(salt);
  const s = repeatTo(ds.digest(), salt.length);

  // Step 21: "for (cnt = 0; cnt < rounds; ++cnt)", all of the time: in WebAssembly (sha-crypt-wasm.ts).
  return shaCryptRounds(digestBytes === 64 ? 512 : 256, c, p, s, rounds);
}

function repeatTo(digest: Buffer, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; at += digest.length) digest.copy(out, at, 0, Math.min(digest.length, length - at));
  return out;
}

export function createShaCryptFamily(variant: ShaCryptVariant): HashFamily {
  const { name, magic } = variant;
  const layout = { saltMax: SALT_MAX, hashChars: variant.hashChars, digestBytes: variant.digestBytes };
  return createCryptFamily({
    name,
    prefixes: [magic],
    check(input) {
      let rest = input.slice(magic.length);
      let rounds = ROUNDS_DEFAULT;
      if (rest.startsWith(ROUNDS_PREFIX)) {
        const dollar = rest.indexOf('$');
        if (dollar === -1) throw malformedHash(name, 'expected "$" after rounds=N');
        rounds = checkRounds(name, rest.slice(ROUNDS_PREFIX.length, dollar));
        rest = rest.slice(dollar + 1);
      }
      noteCheckCost({ kernel: name, work: rounds, parameter: `rounds=${rounds}` });
      const problem = saltAndHashProblem(rest, layout);
      if (problem) throw malformedHash(name, problem);
    },
    crypt: (password, stored) => shaCrypt(variant, password, stored),
  });
}

/**
 * A stored hash matches only if crypt(3) writes its rounds back the same way: "%zu" of the clamped value. So
 * rounds below 1000 or with leading zeros can never match, and are not real hashes.
 */
function checkRounds(name: string, text: string): number {
  if (!/^[0-9]+$/.test(text)) throw malformedHash(name, `rounds must be a number, got ${describeValue(text)}`);
  const rounds = Number(text);
  if (rounds > HASH_LIMITS.maxRounds) {
    throw dangerousHash(name, `rounds=${describeValue(text)} exceeds the limit of ${HASH_LIMITS.maxRounds}`);
  }
  if (String(rounds) !== text) {
    throw malformedHash(name, `rounds must have no leading zeros, got ${describeValue(text)}`);
  }
  if (rounds < ROUNDS_MIN) {
    throw malformedHash(
      name,
      `rounds=${rounds} is below the minimum of ${ROUNDS_MIN}; crypt(3) would have written rounds=${ROUNDS_MIN}`,
    );
  }
  return rounds;
}
