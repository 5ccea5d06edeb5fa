import { createHash } from 'node:crypto';
import type { HashFamily } from './hash-family.ts';
import { encodeCryptDigest } from './crypt-base64.ts';
import { createCryptFamily, saltAndHashProblem, settingSalt } from './crypt-family.ts';
import { passwordBytes } from './hash-bytes.ts';
import { malformedHash } from './hash-error-reasons.ts';

/**
 * Poul-Henning Kamp's MD5-based crypt(3) ("$1$", FreeBSD md5crypt, glibc and libxcrypt). Apache's "$apr1$" is the
 * same algorithm with another magic string (see apr1-md5.ts).
 */
export type Md5CryptMagic = '$1$' | '$apr1$';

const SALT_MAX = 8;
const ROUNDS = 1000;
const DIGEST_BYTES = 16;
const LAYOUT = { saltMax: SALT_MAX, hashChars: 22, digestBytes: DIGEST_BYTES };
const ZERO_BYTE = Buffer.alloc(1);
/** md5crypt writes `final` as these b64_from_24bit(B2, B1, B0) groups, then final[11] alone. */
const MD5_CRYPT_GROUPS = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [11]] as const;

/**
 * crypt(password, setting) for the MD5 schemes: the salt is what follows the magic up to "$", at most 8
 * characters, so a full hash works as its own setting.
 */
export function md5Crypt(magic: Md5CryptMagic, password: string, setting: string): string {
  const rest = setting.startsWith(magic) ? setting.slice(magic.length) : setting;
  const salt = settingSalt(rest, SALT_MAX);
  const digest = md5CryptDigest(passwordBytes(password), Buffer.from(salt, 'utf8'), Buffer.from(magic, 'utf8'));
  return `${magic}${salt}$${encodeCryptDigest(digest, MD5_CRYPT_GROUPS)}`;
}

function md5CryptDigest(password: Buffer, salt: Buffer, magic: Buffer): Buffer {
  const alternate = createHash('md5').update(password).update(salt).update(password).digest();
  const context = createHash('md5').update(password).update(magic).update(salt);
  for (let left = password.length; left > 0; left -= DIGEST_BYTES) {
    context.update(alternate.subarray(0, Math.min(left, DIGEST_BYTES)));
  }
  // "Then something really weird...": for each bit of the length, a NUL byte if it is set, else the first byte.
  for (let bits = password.length; bits > 0; bits >>= 1) {
    context.update(bits & 1 ? ZERO_BYTE : password.subarray(0, 1));
  }
  let final = context.digest();

  // "and now, just to make sure things don't run too fast": 1000 rounds, each one MD5 over a scratch buffer.
  const scratch = Buffer.allocUnsafe(2 * password.length + salt.length + DIGEST_BYTES);
  for (let i = 0; i < ROUNDS; i++) {
    let length = (i & 1 ? password : final).copy(scratch, 0);
    if (i % 3) length += salt.copy(scratch, length);
    if (i % 7) length += password.copy(scratch, length);
    length += (i & 1 ? final : password).copy(scratch, length);
    final = createHash('md5').update(scratch.subarray(0, length)).digest();
  }
  return final;
}

export function createMd5CryptFamily(name: 'md5-crypt' | 'apr1-md5', magic: Md5CryptMagic): HashFamily {
  return createCryptFamily({
    name,
    prefixes: [magic],
    check(input) {
      const problem = saltAndHashProblem(input.slice(magic.length), LAYOUT);
      if (problem) throw malformedHash(name, problem);
    },
    crypt: (password, stored) => md5Crypt(magic, password, stored),
  });
}

export const md5CryptFamily = createMd5CryptFamily('md5-crypt', '$1$');
