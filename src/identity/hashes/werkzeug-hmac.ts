import { createHash, createHmac } from 'node:crypto';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodeHex, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { assertKnownKeys, requiredString } from './hash-object-fields.ts';
import { DIGEST_BYTES, isDigestName, MAX_SALT_BYTES, type DigestName } from './pbkdf2-derive.ts';

/*
 * Werkzeug before 2.3 (werkzeug/security.py, 2.2.3): generate_password_hash(password, method="sha256") wrote
 *   "<method>$<salt>$" + hmac.new(salt.encode(), password.encode(), method).hexdigest()
 * with the salt as the HMAC key, and check_password_hash read "<method>$$<hex>" as the plain digest. "md5$…" and
 * "sha1$…" are also Django's salted digests (salt + password, not HMAC), which they stay unless the import says
 * hash_dialect=werkzeug or the row's password_hash_format is werkzeug-hmac; then they arrive here as
 * {"algorithm":"werkzeug-hmac","hash":"md5$…"}. The other digests are Werkzeug's alone and are detected as strings.
 * The stored form is always that object, so a later check never has to know the dialect.
 */
const LABEL = 'werkzeug-hmac';
const ONLY_WERKZEUG = /^(?:sha224|sha256|sha384|sha512)\$/;

interface WerkzeugHmacFields {
  digest: DigestName;
  salt: string;
  hash: Buffer;
}

function textOf(input: LegacyHashInput): string {
  if (typeof input === 'string') return input;
  assertKnownKeys(LABEL, input, ['algorithm', 'hash']);
  return requiredString(LABEL, input, 'hash');
}

function read(text: string): WerkzeugHmacFields {
  const parts = text.split('$');
  if (parts.length !== 3) throw malformedHash(LABEL, `expected "<method>$<salt>$<hex digest>" (3 fields), got ${parts.length}`);
  const [method = '', salt = '', hex = ''] = parts;
  if (!isDigestName(method)) {
    throw malformedHash(LABEL, `method must be one of ${Object.keys(DIGEST_BYTES).join(', ')}, got ${describeValue(method)}`);
  }
  const hash = decodeHex(hex, 'lowercase');
  if (!hash || hash.length !== DIGEST_BYTES[method]) {
    throw malformedHash(LABEL, `digest must be ${DIGEST_BYTES[method] * 2} lowercase hex characters, got ${describeValue(hex)}`);
  }
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) throw malformedHash(LABEL, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  return { digest: method, salt, hash };
}

export const werkzeugHmac: HashFamily = {
  name: LABEL,
  detect: (input) =>
    typeof input === 'string'
      ? ONLY_WERKZEUG.test(input)
      : Object.hasOwn(input, 'algorithm') && input.algorithm === LABEL,
  parse(input) {
    const text = textOf(input);
    const { digest } = read(text);
    return { scheme: `${LABEL}-${digest}`, format: LABEL, encoded: JSON.stringify({ algorithm: LABEL, hash: text }) };
  },
  async verify(encoded, password) {
    const { digest, salt, hash } = read(textOf(JSON.parse(encoded) as Record<string, unknown>));
    const actual = salt === ''
      ? createHash(digest).update(passwordBytes(password)).digest()
      : createHmac(digest, Buffer.from(salt, 'utf8')).update(passwordBytes(password)).digest();
    return bytesEqual(actual, hash);
  },
};
