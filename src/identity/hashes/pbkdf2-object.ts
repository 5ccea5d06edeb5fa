import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { assertKnownKeys, decodeField, readChoice, readCount, requiredString } from './hash-object-fields.ts';
import { assertPbkdf2Cost, derivePbkdf2, MAX_KEY_BYTES, MAX_SALT_BYTES, type DigestName } from './pbkdf2-derive.ts';

/*
 * The object form of a PBKDF2 hash, for exports that keep the parts in separate columns:
 *   {"algorithm": "pbkdf2-sha1" | "pbkdf2-sha256" | "pbkdf2-sha512", "hash", "salt", "iterations",
 *    "encoding"?, "salt_encoding"?, "key_length"?}
 * Defaults follow Okta's PBKDF2 hash import (`value` and `salt` are both base64), because PBKDF2 salts are random
 * bytes that only travel as text when encoded:
 *   encoding       "base64" (or "hex"); the derived key
 *   salt_encoding  "base64" (or "hex", "utf8"); a salt that is text, as Django's, needs "utf8"
 *   key_length     the decoded hash's length in bytes; if given it must match
 * `iterations` is required. The stored form is canonical JSON with every default written out.
 */
const LABEL = 'pbkdf2';
const ALGORITHMS: Record<string, DigestName> = {
  'pbkdf2-sha1': 'sha1',
  'pbkdf2-sha256': 'sha256',
  'pbkdf2-sha512': 'sha512',
};
const KEYS = ['algorithm', 'hash', 'encoding', 'salt', 'salt_encoding', 'iterations', 'key_length'] as const;
const MIN_KEY_BYTES = 10;

interface Pbkdf2ObjectFields {
  algorithm: string;
  digest: DigestName;
  hash: string;
  encoding: 'hex' | 'base64';
  salt: string;
  saltEncoding: 'hex' | 'base64' | 'utf8';
  iterations: number;
  keyLength: number;
  hashBytes: Buffer;
  saltBytes: Buffer;
}

function read(input: Record<string, unknown>): Pbkdf2ObjectFields {
  assertKnownKeys(LABEL, input, KEYS);
  const algorithm = requiredString(LABEL, input, 'algorithm');
  const digest = ALGORITHMS[algorithm];
  if (!digest) throw malformedHash(LABEL, `unknown algorithm ${describeValue(algorithm)}`);
  const hash = requiredString(LABEL, input, 'hash');
  const encoding = readChoice(LABEL, input, 'encoding', ['base64', 'hex'] as const, 'base64');
  const salt = requiredString(LABEL, input, 'salt');
  const saltEncoding = readChoice(LABEL, input, 'salt_encoding', ['base64', 'hex', 'utf8'] as const, 'base64');
  const iterations = readCount(LABEL, input, 'iterations');
  const hashBytes = decodeField(LABEL, 'hash', hash, encoding);
  const saltBytes = decodeField(LABEL, 'salt', salt, saltEncoding);
  if (saltBytes.length === 0 || saltBytes.length > MAX_SALT_BYTES) {
    throw malformedHash(LABEL, `salt must decode to 1–${MAX_SALT_BYTES} bytes, got ${saltBytes.length}`);
  }
  if (hashBytes.length < MIN_KEY_BYTES || hashBytes.length > MAX_KEY_BYTES) {
    throw malformedHash(LABEL, `hash must decode to ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} bytes, got ${hashBytes.length}`);
  }
  const keyLength = readCount(LABEL, input, 'key_length', hashBytes.length);
  if (keyLength !== hashBytes.length) {
    throw malformedHash(
      LABEL,
      `key_length ${keyLength} does not match the hash, which decodes to ${hashBytes.length} bytes`,
    );
  }
  assertPbkdf2Cost(LABEL, iterations, keyLength, digest);
  return { algorithm, digest, hash, encoding, salt, saltEncoding, iterations, keyLength, hashBytes, saltBytes };
}

function canonicalJson(fields: Pbkdf2ObjectFields): string {
  return JSON.stringify({
    algorithm: fields.algorithm,
    hash: fields.hash,
    encoding: fields.encoding,
    salt: fields.salt,
    salt_encoding: fields.saltEncoding,
    iterations: fields.iterations,
    key_length: fields.keyLength,
  });
}

export const pbkdf2Object: HashFamily = {
  name: 'pbkdf2-object',
  detect(input: LegacyHashInput): boolean {
    if (typeof input !== 'object' || input === null) return false;
    return typeof input.algorithm === 'string' && Object.hasOwn(ALGORITHMS, input.algorithm);
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'object' || input === null) throw malformedHash(LABEL, 'expected an object');
    const fields = read(input);
    return { scheme: `${fields.algorithm}-object`, format: LABEL, encoded: canonicalJson(fields) };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const fields = read(JSON.parse(encoded) as Record<string, unknown>);
    const { digest, iterations, keyLength, hashBytes, saltBytes } = fields;
    return bytesEqual(await derivePbkdf2(passwordBytes(password), saltBytes, iterations, keyLength, digest), hashBytes);
  },
};
