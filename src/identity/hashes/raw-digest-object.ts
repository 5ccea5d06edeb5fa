import { createHash, createHmac } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { HASH_LIMITS } from './hash-errors.ts';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';
import {
  assertKnownKeys,
  decodeField,
  optionalString,
  readChoice,
  readCount,
  requiredString,
} from './hash-object-fields.ts';
import { DIGEST_BYTES, MAX_SALT_BYTES, type DigestName } from './pbkdf2-derive.ts';

/*
 * A plain or HMAC digest described field by field (the shape of Auth0's custom_password_hash for md5/sha*):
 *   {"algorithm": "md5" | "sha1" | "sha256" | "sha512" | "hmac-md5" | "hmac-sha1" | "hmac-sha256" | "hmac-sha512",
 *    "hash", "encoding"?, "salt"?, "salt_encoding"?, "salt_position"?, "key"?, "key_encoding"?, "iterations"?}
 *   encoding       "hex" (default, either case) or "base64" (standard or URL-safe, padding optional)
 *   salt           none by default; an empty salt is no salt
 *   salt_encoding  "utf8" (default), "hex" or "base64"
 *   salt_position  required with a salt, no default: "prefix" hashes salt + password, "suffix" password + salt.
 *                  Exports disagree, and a wrong guess would only show as failed sign-ins.
 *   key            hmac-* only, required there: the HMAC key; the salt still goes into the message
 *   key_encoding   same choices and default as salt_encoding
 *   iterations     default 1; each further iteration digests (or HMACs, same key) the previous raw output
 * The stored form is canonical JSON with every default written out.
 */
const ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512', 'hmac-md5', 'hmac-sha1', 'hmac-sha256', 'hmac-sha512'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
const KEYS = [
  'algorithm',
  'hash',
  'encoding',
  'salt',
  'salt_encoding',
  'salt_position',
  'key',
  'key_encoding',
  'iterations',
] as const;
const TEXT_ENCODINGS = ['utf8', 'hex', 'base64'] as const;
type TextEncoding = (typeof TEXT_ENCODINGS)[number];
/** Digests between yields to the event loop: a few milliseconds of work, so 5M iterations never block it. */
const DIGESTS_PER_TURN = 10_000;

interface RawDigestFields {
  algorithm: Algorithm;
  hash: string;
  encoding: 'hex' | 'base64';
  salt?: { text: string; encoding: TextEncoding; position: 'prefix' | 'suffix'; bytes: Buffer };
  key?: { text: string; encoding: TextEncoding; bytes: Buffer };
  iterations: number;
  hashBytes: Buffer;
}

function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value);
}

function digestOf(algorithm: Algorithm): DigestName {
  return (algorithm.startsWith('hmac-') ? algorithm.slice(5) : algorithm) as DigestName;
}

function readSalt(label: string, input: Record<string, unknown>): RawDigestFields['salt'] {
  const text = optionalString(label, input, 'salt');
  if (text === undefined || text === '') return undefined;
  const encoding = readChoice(label, input, 'salt_encoding', TEXT_ENCODINGS, 'utf8');
  const position = readChoice(label, input, 'salt_position', ['prefix', 'suffix'] as const, undefined);
  const bytes = decodeField(label, 'salt', text, encoding);
  if (bytes.length > MAX_SALT_BYTES) throw malformedHash(label, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  return { text, encoding, position, bytes };
}

function readKey(label: string, input: Record<string, unknown>, algorithm: Algorithm): RawDigestFields['key'] {
  if (!algorithm.startsWith('hmac-')) {
    if (optionalString(label, input, 'key') !== undefined) {
      throw malformedHash(label, 'key is only used by the hmac-* algorithms');
    }
    return undefined;
  }
  const text = requiredString(label, input, 'key');
  const encoding = readChoice(label, input, 'key_encoding', TEXT_ENCODINGS, 'utf8');
  const bytes = decodeField(label, 'key', text, encoding);
  if (bytes.length > MAX_SALT_BYTES) throw malformedHash(label, `key must be at most ${MAX_SALT_BYTES} bytes`);
  return { text, encoding, bytes };
}

function read(input: Record<string, unknown>): RawDigestFields {
  const algorithm = input.algorithm;
  if (!isAlgorithm(algorithm)) throw malformedHash('raw-digest', `unknown algorithm ${describeValue(algorithm)}`);
  const label = `raw-${algorithm}`;
  assertKnownKeys(label, input, KEYS);
  const hash = requiredString(label, input, 'hash');
  const encoding = readChoice(label, input, 'encoding', ['hex', 'base64'] as const, 'hex');
  const hashBytes = decodeField(label, 'hash', hash, encoding);
  const digestBytes = DIGEST_BYTES[digestOf(algorithm)];
  if (hashBytes.length !== digestBytes) {
    throw malformedHash(label, `hash must decode to ${digestBytes} bytes, got ${hashBytes.length}`);
  }
  const salt = readSalt(label, input);
  const key = readKey(label, input, algorithm);
  const iterations = readCount(label, input, 'iterations', 1);
  if (iterations > HASH_LIMITS.maxRounds) {
    throw dangerousHash(label, `${iterations} iterations exceed the limit of ${HASH_LIMITS.maxRounds}`);
  }
  return { algorithm, hash, encoding, ...(salt && { salt }), ...(key && { key }), iterations, hashBytes };
}

function canonicalJson(fields: RawDigestFields): string {
  const { algorithm, hash, encoding, salt, key, iterations } = fields;
  return JSON.stringify({
    algorithm,
    hash,
    encoding,
    ...(salt && { salt: salt.text, salt_encoding: salt.encoding, salt_position: salt.position }),
    ...(key && { key: key.text, key_encoding: key.encoding }),
    iterations,
  });
}

async function computeDigest(fields: RawDigestFields, password: string): Promise<Buffer> {
  const { algorithm, salt, key, iterations } = fields;
  const digest = digestOf(algorithm);
  const once = (data: Buffer): Buffer =>
    key ? createHmac(digest, key.bytes).update(data).digest() : createHash(digest).update(data).digest();
  const secret = passwordBytes(password);
  const message = !salt
    ? secret
    : Buffer.concat(salt.position === 'prefix' ? [salt.bytes, secret] : [secret, salt.bytes]);
  let output = once(message);
  for (let round = 2; round <= iterations; round += 1) {
    if (round % DIGESTS_PER_TURN === 0) await nextTurn();
    output = once(output);
  }
  return output;
}

export const rawDigestObject: HashFamily = {
  name: 'raw-digest',
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'object' && input !== null && isAlgorithm(input.algorithm);
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'object' || input === null) throw malformedHash('raw-digest', 'expected an object');
    const fields = read(input);
    const label = `raw-${fields.algorithm}`;
    return { scheme: label, format: label, encoded: canonicalJson(fields) };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const fields = read(JSON.parse(encoded) as Record<string, unknown>);
    return bytesEqual(await computeDigest(fields, password), fields.hashBytes);
  },
};
