import type { HashFamily, LegacyHashInput, ParsedLegacyHash } from './hash-family.ts';
import { UnsupportedHashError } from './hash-errors.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { families as modernFamilies } from './families-modern.ts';
import { md5CryptFamily } from './md5-crypt.ts';
import { sha256CryptFamily } from './sha256-crypt.ts';
import { sha512CryptFamily } from './sha512-crypt.ts';
import { traditionalDesCryptFamily } from './traditional-des-crypt.ts';
import { bsdiDesCryptFamily } from './bsdi-des-crypt.ts';

/**
 * OpenLDAP "{CRYPT}": the rest is whatever the server's crypt(3) wrote ("$6$…", "$1$…", "$2b$…"), and slapd
 * checks it with crypt(3) again. We hand the rest to the family that owns it.
 *
 * Not through registry.ts: the registry imports this group, so importing the registry back would make loading
 * depend on which module comes first, and `parse` is synchronous, so a lazy import() cannot serve it. The
 * families below are the same objects the registry holds, limited to ids that crypt(3) itself verifies.
 */
const PREFIX = '{CRYPT}';
const FAMILY = 'ldap-crypt';
/** The crypt(3) schemes glibc and libxcrypt verify that cutover has a family for: MD5, SHA-256, SHA-512, bcrypt, DES. */
const SUPPORTED_IDS = /^(?:\$(?:1|5|6|2[abxy])\$|_|[./0-9A-Za-z]{13}$)/;
/** ASCII case-insensitive, as slapd compares scheme names. */
const CRYPT_PREFIX = /^\{crypt\}/i;

/** A function, not a constant: the modern group's array is read when a hash arrives, not while modules load. */
function crypt3Families(): readonly HashFamily[] {
  return [md5CryptFamily, sha256CryptFamily, sha512CryptFamily, bsdiDesCryptFamily, traditionalDesCryptFamily, ...modernFamilies];
}

/** A real crypt(3) hash of a kind cutover does not verify; the import's `on_unsupported_hash` decides. */
export class UnsupportedCryptSchemeError extends UnsupportedHashError {
  constructor(reason: string) {
    super();
    this.message = `unsupported hash format: ${reason}`;
  }
}

function innerFamily(input: LegacyHashInput): { inner: string; family: HashFamily } {
  if (typeof input !== 'string' || !CRYPT_PREFIX.test(input)) {
    throw malformedHash(FAMILY, `expected a string starting with ${PREFIX}, got ${describeValue(input)}`);
  }
  const inner = input.slice(PREFIX.length);
  if (!SUPPORTED_IDS.test(inner) && !inner.startsWith('$')) {
    throw malformedHash(FAMILY, `expected a crypt(3) hash such as "$6$…" after ${PREFIX}, got ${describeValue(inner)}`);
  }
  const family = SUPPORTED_IDS.test(inner) ? crypt3Families().find((candidate) => candidate.detect(inner)) : undefined;
  if (!family) {
    const id = inner.slice(0, inner.indexOf('$', 1) + 1) || inner;
    throw new UnsupportedCryptSchemeError(
      `${PREFIX} holds crypt(3) scheme ${describeValue(id)}, not one cutover verifies`,
    );
  }
  return { inner, family };
}

export const ldapCryptFamily: HashFamily = {
  name: FAMILY,
  detect: (input) => typeof input === 'string' && CRYPT_PREFIX.test(input),
  parse(input): ParsedLegacyHash {
    const { inner, family } = innerFamily(input);
    family.parse(inner);
    return { scheme: FAMILY, format: FAMILY, encoded: input as string };
  },
  async verify(encoded, password) {
    const { inner, family } = innerFamily(encoded);
    return family.verify(family.parse(inner).encoded, password);
  },
};
