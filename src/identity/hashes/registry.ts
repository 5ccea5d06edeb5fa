import type { HashFamily, LegacyHashInput, ParsedLegacyHash } from './hash-family.ts';
import { UnsupportedHashError } from './hash-errors.ts';
import { families as modern } from './families-modern.ts';
import { families as pbkdf2AndDigests } from './families-pbkdf2-and-digests.ts';
import { families as cryptLdapPhpass } from './families-crypt-ldap-phpass.ts';
import { families as webAndDb } from './families-web-and-db.ts';
import { checkHashContext, resolveHashInput, type HashContext } from './hash-dialects.ts';

const FAMILIES: readonly HashFamily[] = [...webAndDb, ...modern, ...pbkdf2AndDigests, ...cryptLdapPhpass];
const BY_SCHEME_CACHE = new Map<string, HashFamily>();

function findFamily(input: LegacyHashInput): HashFamily | undefined {
  return FAMILIES.find((family) => family.detect(input));
}

/**
 * Recognises and validates a legacy hash from an export row. Throws `UnsupportedHashError` when no family claims
 * it, and the family's `MalformedHashError` / `DangerousHashParametersError` when one does but it is unusable.
 * `context` (the import's dialect, the row's format and salt) decides strings that several families write.
 */
export function parseLegacyHash(input: LegacyHashInput, context: HashContext = {}): ParsedLegacyHash {
  const resolved = resolveHashInput(input, context);
  const family = findFamily(resolved);
  if (!family) throw new UnsupportedHashError();
  const parsed = family.parse(resolved);
  checkHashContext(parsed, context);
  BY_SCHEME_CACHE.set(parsed.scheme, family);
  return parsed;
}

/** Verifies a password against a stored legacy hash (`scheme` and `encoded` as `parseLegacyHash` returned them). */
export async function verifyLegacyHash(scheme: string, encoded: string, password: string): Promise<boolean> {
  let family = BY_SCHEME_CACHE.get(scheme);
  if (!family) {
    const input = encoded.startsWith('{"') ? (JSON.parse(encoded) as Record<string, unknown>) : encoded;
    const parsed = parseLegacyHash(input);
    family = BY_SCHEME_CACHE.get(parsed.scheme);
  }
  if (!family) throw new UnsupportedHashError();
  return family.verify(encoded, password);
}

export function listHashFamilies(): readonly string[] {
  return FAMILIES.map((family) => family.name);
}
