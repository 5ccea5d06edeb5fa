import { createHash } from 'node:crypto';
import type { HashFamily, LegacyHashInput, ParsedLegacyHash } from './hash-family.ts';
import { bytesEqual, decodePaddedBase64, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * RFC 2307 / OpenLDAP userPassword digests: "{SHA}" + base64(SHA-1(password)), and the salted "{SSHA}" +
 * base64(SHA-1(password + salt) + salt). OpenLDAP's pw-sha2 module adds the SHA-2 ones and slapd has {MD5} and
 * {SMD5}. OpenLDAP matches the scheme name case-insensitively.
 */
interface LdapDigestScheme {
  id: string;
  algorithm: 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';
  digestBytes: number;
  salted: boolean;
}

const SCHEMES = new Map<string, LdapDigestScheme>([
  ['SHA', { id: 'ldap-sha', algorithm: 'sha1', digestBytes: 20, salted: false }],
  ['SSHA', { id: 'ldap-ssha', algorithm: 'sha1', digestBytes: 20, salted: true }],
  ['SHA256', { id: 'ldap-sha256', algorithm: 'sha256', digestBytes: 32, salted: false }],
  ['SSHA256', { id: 'ldap-ssha256', algorithm: 'sha256', digestBytes: 32, salted: true }],
  ['SHA384', { id: 'ldap-sha384', algorithm: 'sha384', digestBytes: 48, salted: false }],
  ['SSHA384', { id: 'ldap-ssha384', algorithm: 'sha384', digestBytes: 48, salted: true }],
  ['SHA512', { id: 'ldap-sha512', algorithm: 'sha512', digestBytes: 64, salted: false }],
  ['SSHA512', { id: 'ldap-ssha512', algorithm: 'sha512', digestBytes: 64, salted: true }],
  ['MD5', { id: 'ldap-md5', algorithm: 'md5', digestBytes: 16, salted: false }],
  ['SMD5', { id: 'ldap-smd5', algorithm: 'md5', digestBytes: 16, salted: true }],
]);

const FAMILY = 'ldap-digest';
/** slappasswd writes 4 bytes of salt, other tools 8 or 16; anything past this is not a password hash. */
const SALT_MAX_BYTES = 64;
const LONGEST_PREFIX = '{SSHA512}'.length;

function schemeName(input: string): string | undefined {
  if (!input.startsWith('{')) return undefined;
  const close = input.slice(0, LONGEST_PREFIX).indexOf('}');
  const name = close === -1 ? '' : input.slice(1, close);
  // ASCII only, as slapd compares scheme names: "ſ".toUpperCase() is "S".
  return /^[A-Za-z0-9]+$/.test(name) ? name.toUpperCase() : undefined;
}

interface LdapDigestParts {
  scheme: LdapDigestScheme;
  digest: Buffer;
  salt: Buffer;
}

function split(input: LegacyHashInput): LdapDigestParts {
  const name = typeof input === 'string' ? schemeName(input) : undefined;
  const scheme = name === undefined ? undefined : SCHEMES.get(name);
  if (typeof input !== 'string' || name === undefined || !scheme) {
    throw malformedHash(FAMILY, `expected a {SCHEME} prefix such as {SSHA}, got ${describeValue(input)}`);
  }
  const label = `{${name}}`;
  const body = input.slice(name.length + 2);
  if (body === '') throw malformedHash(scheme.id, `expected base64 after ${label}, found nothing`);
  const bytes = decodePaddedBase64(body);
  // Buffer.from ignores stray low bits in the last character; a tool never writes them.
  if (!bytes || bytes.toString('base64') !== body) {
    throw malformedHash(scheme.id, `expected padded base64 after ${label}, got ${describeValue(body)}`);
  }
  const what = `a ${scheme.digestBytes}-byte ${scheme.algorithm.toUpperCase()} digest`;
  if (!scheme.salted && bytes.length !== scheme.digestBytes) {
    throw malformedHash(scheme.id, `expected the base64 of ${what} after ${label}, got ${bytes.length} bytes`);
  }
  const saltBytes = bytes.length - scheme.digestBytes;
  if (scheme.salted && (saltBytes < 1 || saltBytes > SALT_MAX_BYTES)) {
    throw malformedHash(
      scheme.id,
      `expected ${what} and 1 to ${SALT_MAX_BYTES} bytes of salt after ${label}, got ${bytes.length} bytes in all`,
    );
  }
  return { scheme, digest: bytes.subarray(0, scheme.digestBytes), salt: bytes.subarray(scheme.digestBytes) };
}

export const ldapDigestFamily: HashFamily = {
  name: FAMILY,
  detect(input) {
    if (typeof input !== 'string') return false;
    const name = schemeName(input);
    return name !== undefined && SCHEMES.has(name);
  },
  parse(input): ParsedLegacyHash {
    const { scheme } = split(input);
    return { scheme: scheme.id, format: scheme.id, encoded: input as string };
  },
  async verify(encoded, password) {
    const { scheme, digest, salt } = split(encoded);
    const computed = createHash(scheme.algorithm).update(passwordBytes(password)).update(salt).digest();
    return bytesEqual(computed, digest);
  },
};
