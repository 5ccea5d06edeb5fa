import { createHash } from 'node:crypto';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodeHex, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { assertKnownKeys, optionalString, requiredString } from './hash-object-fields.ts';
import { MAX_SALT_BYTES } from './pbkdf2-derive.ts';

/*
 * The PHP-era salted MD5 schemes (Joomla, vBulletin, MyBB, IP.Board, PostgreSQL's md5). Their exports hold
 * "<32 hex>:<salt>", or the digest and the salt in two columns; several frameworks write the same shape, so the
 * import names the family (hash_dialect or password_hash_format, see hash-dialects.ts) and hands it over as
 *   {"algorithm": "<family>", "hash": "<32 hex>" | "<32 hex>:<salt>", "salt"?: "<salt>"}
 * which is also the stored form (canonical, with the salt in its own key), so a later check never has to guess.
 * Each of these compared PHP's lowercase md5() hex as a string, so an upper-case digest never matched.
 */
export function md5Hex(...parts: (string | Buffer)[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return md5.digest('hex');
}

export interface SaltedMd5Scheme {
  /** The `algorithm` value, also the family name, the scheme and the summary's format label. */
  algorithm: string;
  /** What the salt is, in error messages ("salt", "role name"). */
  saltName: string;
  /** The stored digest's prefix: PostgreSQL writes "md5" before the hex. */
  prefix?: string;
  /** The lowercase hex digest the software stored, from the password's and the salt's UTF-8 bytes. */
  digest(password: Buffer, salt: Buffer): string;
}

interface SaltedMd5Fields {
  hex: string;
  salt: string;
}

const KEYS = ['algorithm', 'hash', 'salt'] as const;

function read(scheme: SaltedMd5Scheme, input: LegacyHashInput): SaltedMd5Fields {
  const label = scheme.algorithm;
  if (typeof input !== 'object' || input === null) throw malformedHash(label, `expected an object, got ${describeValue(input)}`);
  assertKnownKeys(label, input, KEYS);
  const prefix = scheme.prefix ?? '';
  let hash = requiredString(label, input, 'hash');
  let salt = optionalString(label, input, 'salt');
  const digestChars = prefix.length + 32;
  if (salt === undefined && hash.length > digestChars && hash[digestChars] === ':') {
    salt = hash.slice(digestChars + 1);
    hash = hash.slice(0, digestChars);
  }
  if (!hash.startsWith(prefix) || !decodeHex(hash.slice(prefix.length), 'lowercase') || hash.length !== digestChars) {
    const shape = prefix ? `"${prefix}" and 32 lowercase hex characters` : '32 lowercase hex characters';
    throw malformedHash(label, `digest must be ${shape}, got ${describeValue(hash)}`);
  }
  if (salt === undefined || salt === '') {
    const where = scheme.prefix ? 'password_hash_salt' : 'password_hash_salt or after a ":"';
    throw malformedHash(label, `the ${scheme.saltName} is required: give it in ${where}`);
  }
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) {
    throw malformedHash(label, `the ${scheme.saltName} must be at most ${MAX_SALT_BYTES} bytes`);
  }
  return { hex: hash.slice(prefix.length), salt };
}

export function saltedMd5Family(scheme: SaltedMd5Scheme): HashFamily {
  return {
    name: scheme.algorithm,
    detect: (input) =>
      typeof input === 'object' && input !== null && Object.hasOwn(input, 'algorithm') && input.algorithm === scheme.algorithm,
    parse(input) {
      const { hex, salt } = read(scheme, input);
      const encoded = JSON.stringify({ algorithm: scheme.algorithm, hash: `${scheme.prefix ?? ''}${hex}`, salt });
      return { scheme: scheme.algorithm, format: scheme.algorithm, encoded };
    },
    async verify(encoded, password) {
      const { hex, salt } = read(scheme, JSON.parse(encoded) as Record<string, unknown>);
      const actual = scheme.digest(passwordBytes(password), Buffer.from(salt, 'utf8'));
      return bytesEqual(Buffer.from(actual, 'hex'), Buffer.from(hex, 'hex'));
    },
  };
}
