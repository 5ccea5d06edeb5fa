/**
 * One legacy password-hash family (bcrypt, Django PBKDF2, crypt(3) …). Each family lives in its own file and is
 * listed in one of the family groups that `registry.ts` joins.
 *
 * The import calls `detect` and `parse` for every row, so both must be cheap and must never verify anything.
 * `verify` runs at sign-in only.
 */
export type LegacyHashInput = string | Record<string, unknown>;

export interface ParsedLegacyHash {
  /** Stable scheme id stored beside the hash, e.g. "bcrypt", "django-pbkdf2-sha256", "ldap-ssha". */
  scheme: string;
  /** Label counted in the import summary's `hash_formats`, e.g. "bcrypt", "django-pbkdf2", "firebase-scrypt". */
  format: string;
  /** What is stored: the hash string as given, or canonical JSON for the object forms. `verify` receives this back. */
  encoded: string;
}

export interface HashFamily {
  /** Family name, used in error messages and tests. */
  name: string;
  /** Cheap test (a prefix or an `algorithm` value) that says the input claims to be of this family. */
  detect(input: LegacyHashInput): boolean;
  /**
   * Validates a detected input fully: structure, encodings, and the parameter ceilings that keep one check from
   * being a denial of service. Throws `MalformedHashError` or `DangerousHashParametersError` with a reason a
   * person can act on.
   */
  parse(input: LegacyHashInput): ParsedLegacyHash;
  /** Checks a password against what `parse` returned as `encoded`. Constant-time compare of the final digest. */
  verify(encoded: string, password: string): Promise<boolean>;
}
