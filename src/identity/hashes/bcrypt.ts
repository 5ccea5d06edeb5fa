import type { HashFamily } from './hash-family.ts';
import { bcryptMatches, parseBcryptString } from './bcrypt-hash-string.ts';
import { passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * bcrypt in modular-crypt form: `$2a$`, `$2b$`, `$2x$`, `$2y$` (PHP's password_hash, htpasswd -B, OpenBSD, most
 * libraries). Verified as crypt_blowfish does it (see eksblowfish.ts): the password is its UTF-8 bytes as a C
 * string, so it ends at a NUL (PHP's password_verify("abc\0xyz", hash_of_abc) is true) and only its first 72 bytes
 * count — a cut that may fall inside a multi-byte character.
 */
export const bcrypt: HashFamily = {
  name: 'bcrypt',

  detect: (input) => typeof input === 'string' && /^\$2[abxy]\$/.test(input),

  parse(input) {
    if (typeof input !== 'string') throw malformedHash('bcrypt', `expected a string, got ${describeValue(input)}`);
    const text = input;
    parseBcryptString('bcrypt', text);
    return { scheme: 'bcrypt', format: 'bcrypt', encoded: text };
  },

  async verify(encoded, password) {
    return bcryptMatches(parseBcryptString('bcrypt', encoded), passwordBytes(password));
  },
};
