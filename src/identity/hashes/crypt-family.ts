import type { HashFamily, LegacyHashInput, ParsedLegacyHash } from './hash-family.ts';
import { cryptDigestProblem, isCryptBase64 } from './crypt-base64.ts';
import { bytesEqual } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * A family verified the way crypt(3), phpass and Drupal verify: the stored hash is its own setting, and the
 * password matches when crypt(password, stored) gives the stored string back.
 */
export interface CryptFamilyOptions {
  name: string;
  /** What `detect` looks for: "$1$", "$P$" … */
  prefixes: readonly string[];
  /** Full validation of a string with one of the prefixes; throws MalformedHash/DangerousHashParameters errors. */
  check(input: string): void;
  /** The tool's crypt(password, setting), given the checked stored hash as the setting. */
  crypt(password: string, stored: string): string;
}

export function createCryptFamily({ name, prefixes, check, crypt }: CryptFamilyOptions): HashFamily {
  const hasPrefix = (input: string): boolean => prefixes.some((prefix) => input.startsWith(prefix));

  function parse(input: LegacyHashInput): ParsedLegacyHash {
    if (typeof input !== 'string' || !hasPrefix(input)) {
      const expected = prefixes.map((prefix) => `"${prefix}"`).join(' or ');
      throw malformedHash(name, `expected a string starting with ${expected}, got ${describeValue(input)}`);
    }
    check(input);
    return { scheme: name, format: name, encoded: input };
  }

  return {
    name,
    detect: (input) => typeof input === 'string' && hasPrefix(input),
    parse,
    async verify(encoded, password) {
      parse(encoded);
      return bytesEqual(Buffer.from(crypt(password, encoded), 'utf8'), Buffer.from(encoded, 'utf8'));
    },
  };
}

/** Lengths of the "salt$hash" part of a crypt(3) hash. */
export interface SaltAndHashLayout {
  saltMax: number;
  hashChars: number;
  digestBytes: number;
}

/** Checks "salt$hash" (what follows the magic and any parameters); returns a reason, or undefined when fine. */
export function saltAndHashProblem(text: string, layout: SaltAndHashLayout): string | undefined {
  const dollar = text.indexOf('$');
  if (dollar === -1) return 'expected "salt$hash", found no "$" after the salt';
  const salt = text.slice(0, dollar);
  if (salt.length > layout.saltMax) return `salt must be at most ${layout.saltMax} characters, got ${salt.length}`;
  if (!isCryptBase64(salt)) return `salt must use only the characters ./0-9A-Za-z, got ${describeValue(salt)}`;
  return cryptDigestProblem(text.slice(dollar + 1), layout.hashChars, layout.digestBytes);
}

/** How crypt(3) reads the salt from a setting: up to the next "$" or the end, cut to `max` characters. */
export function settingSalt(rest: string, max: number): string {
  const dollar = rest.indexOf('$');
  return rest.slice(0, Math.min(max, dollar === -1 ? rest.length : dollar));
}
