import type { HashFamily } from './hash-family.ts';
import { bcryptMatches, parseBcryptString } from './bcrypt-hash-string.ts';
import { passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * Django's bcrypt hashers store `<algorithm>$` + the bcrypt string, so the bcrypt part keeps its own leading `$`:
 * `bcrypt$$2b$12$…` (BCryptPasswordHasher) and `bcrypt_sha256$$2b$12$…` (BCryptSHA256PasswordHasher). Django's
 * verify re-runs `bcrypt.hashpw(password, data)` and compares the whole string, so the rules are those of the
 * Python bcrypt package: `$2a$`, `$2b$` and `$2y$` (read as `$2b$`); `$2x$` is refused ("Invalid salt").
 */
export interface DjangoBcryptVariant {
  name: string;
  /** Django's `algorithm` attribute, the text before the first `$`. */
  algorithm: string;
  /** What Django feeds to bcrypt, from the password's UTF-8 bytes. */
  bcryptInput(password: Buffer): Buffer | undefined;
}

export function djangoBcryptFamily(variant: DjangoBcryptVariant): HashFamily {
  const prefix = `${variant.algorithm}$`;
  const parse = (text: string) => {
    if (!text.startsWith(`${prefix}$`)) {
      throw malformedHash(variant.name, `must start with "${prefix}$" (Django writes ${prefix} then "$2b$…")`);
    }
    return parseBcryptString(variant.name, text.slice(prefix.length), { minors: ['a', 'b', 'y'] });
  };
  return {
    name: variant.name,
    detect: (input) => typeof input === 'string' && input.startsWith(prefix),
    parse(input) {
      if (typeof input !== 'string') {
        throw malformedHash(variant.name, `expected a string, got ${describeValue(input)}`);
      }
    const text = input;
      parse(text);
      return { scheme: variant.name, format: variant.name, encoded: text };
    },
    async verify(encoded, password) {
      const parsed = parse(encoded);
      const input = variant.bcryptInput(passwordBytes(password));
      return input !== undefined && bcryptMatches(parsed, input);
    },
  };
}

/** BCryptPasswordHasher: plain bcrypt of the UTF-8 password (so, like all bcrypt, only its first 72 bytes count). */
export const djangoBcrypt = djangoBcryptFamily({
  name: 'django-bcrypt',
  algorithm: 'bcrypt',
  // Python's bcrypt raises "password may not contain NUL bytes"; Django never accepted such a password.
  bcryptInput: (password) => (password.includes(0) ? undefined : password),
});
